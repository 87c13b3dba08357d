using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace ReferralService.Tests.Data.TSql;

/// <summary>
/// Errors SQL Server raises when it creates or runs a module, which a parser accepts. Each rule reads the
/// catalog (every script in deploy order) and returns one line per finding: where, what, and why it fails.
/// </summary>
internal static class Rules
{
    public static IReadOnlyDictionary<string, Func<Catalog, IEnumerable<string>>> All { get; } =
        new Dictionary<string, Func<Catalog, IEnumerable<string>>>
        {
            [nameof(DuplicateCteNames)] = DuplicateCteNames,
            [nameof(UnionCollationConflicts)] = UnionCollationConflicts,
            [nameof(UsedBeforeCreated)] = UsedBeforeCreated,
            [nameof(ThrowNumbersBelow50000)] = ThrowNumbersBelow50000,
            [nameof(CreateOrAlterNotFirstInBatch)] = CreateOrAlterNotFirstInBatch,
            [nameof(TableTypeColumnMismatches)] = TableTypeColumnMismatches,
            [nameof(NarrowParameters)] = NarrowParameters,
            [nameof(ReadPastWhereNotAllowed)] = ReadPastWhereNotAllowed,
        };

    /// <summary>Msg 252: a CTE name may appear once in one WITH.</summary>
    public static IEnumerable<string> DuplicateCteNames(Catalog catalog) =>
        from script in catalog.Scripts
        from with in Find<WithCtesAndXmlNamespaces>(script.Tree)
        from duplicate in with.CommonTableExpressions.GroupBy(c => c.ExpressionName.Value, StringComparer.OrdinalIgnoreCase)
        where duplicate.Count() > 1
        select $"{script.Name} line {with.StartLine}: CTE '{duplicate.Key}' is defined {duplicate.Count()} times in one WITH (Msg 252)";

    /// <summary>Msg 451: a UNION column whose branches have different implicit collations and no COLLATE.</summary>
    public static IEnumerable<string> UnionCollationConflicts(Catalog catalog) =>
        Modules(catalog).SelectMany(m => new UnionWalker(m).Run());

    /// <summary>
    /// A function, procedure, table or type used by a script deployed before the script that creates it. Feature
    /// folders deploy in name order after helpers/, so one feature's procedure calling another's is found here too.
    /// </summary>
    public static IEnumerable<string> UsedBeforeCreated(Catalog catalog) =>
        from script in catalog.Scripts
        from used in References(script.Tree).Distinct(StringComparer.OrdinalIgnoreCase)
        where catalog.CreatedBy.TryGetValue(used, out var creator) && creator.Order > script.Order
        select $"{script.Name} uses {used}, which {catalog.CreatedBy[used].Name} creates later in deploy order " +
            "(what other procedures use belongs in procedures/helpers/)";

    /// <summary>Msg 35100: THROW takes error numbers from 50000 up.</summary>
    public static IEnumerable<string> ThrowNumbersBelow50000(Catalog catalog) =>
        from script in catalog.Scripts
        from statement in Find<ThrowStatement>(script.Tree)
        where statement.ErrorNumber is IntegerLiteral literal && long.Parse(literal.Value, System.Globalization.CultureInfo.InvariantCulture) < 50000
        select $"{script.Name} line {statement.StartLine}: THROW {((IntegerLiteral)statement.ErrorNumber).Value} is below 50000 (Msg 35100)";

    /// <summary>
    /// Msg 111: CREATE [OR ALTER] PROCEDURE/FUNCTION/VIEW/TRIGGER must start its batch. Checked on the
    /// commands SQL Server receives (DbUp's own GO splitter; a single-command script whole), each parsed
    /// alone: ScriptDom's grammar rejects such a statement after another in one batch, so a command that
    /// does not parse alone is a batch SQL Server would reject.
    /// </summary>
    public static IEnumerable<string> CreateOrAlterNotFirstInBatch(Catalog catalog)
    {
        foreach (var script in catalog.Scripts)
        {
            var commands = script.SingleCommand ? [script.Text] : new DbUp.Support.SqlCommandSplitter().SplitScriptIntoCommands(script.Text);
            foreach (var (command, i) in commands.Select((c, i) => (c, i + 1)))
            {
                var tree = new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(command), out var errors) as TSqlScript;
                var misplaced = tree?.Batches.SelectMany(b => b.Statements.Skip(1))
                    .FirstOrDefault(s => s is ProcedureStatementBodyBase or ViewStatementBody or TriggerStatementBody);
                if (errors.Count > 0 || (tree?.Batches.Count ?? 0) > 1 || misplaced is not null)
                {
                    var why = errors.Count > 0 ? $"line {errors[0].Line} of it: {errors[0].Message}"
                        : misplaced is not null ? $"line {misplaced.StartLine} of it is not the first statement"
                        : "it holds a GO, which only a client splits on";
                    yield return $"{script.Name}: command {i} as sent to SQL Server is not a valid batch ({why}); " +
                        "a CREATE OR ALTER must start its batch (Msg 111)";
                }
            }
        }
    }

    /// <summary>A table variable of a table type (or a table-valued parameter) used with columns its type does not have, or with another number of them.</summary>
    public static IEnumerable<string> TableTypeColumnMismatches(Catalog catalog) =>
        Modules(catalog).SelectMany(m => new TableTypeWalker(m).Run());

    /// <summary>A string parameter or variable narrower than the column it is compared with or written to: SQL Server cuts longer values to fit, silently.</summary>
    public static IEnumerable<string> NarrowParameters(Catalog catalog) =>
        Modules(catalog).SelectMany(m => new NarrowingWalker(m).Run());

    /// <summary>
    /// Msg 650: READPAST is allowed only under READ COMMITTED or REPEATABLE READ, so it fails with HOLDLOCK or
    /// SERIALIZABLE on the same table, and in a module that sets SERIALIZABLE; under SNAPSHOT it needs a locking hint
    /// (UPDLOCK, XLOCK) beside it. A claim that cannot run does not skip anything.
    /// </summary>
    public static IEnumerable<string> ReadPastWhereNotAllowed(Catalog catalog)
    {
        foreach (var module in Modules(catalog))
        {
            var levels = Find<SetTransactionIsolationLevelStatement>(module.Body).Select(s => s.Level).ToHashSet();
            foreach (var table in Find<NamedTableReference>(module.Body))
            {
                var hints = table.TableHints.Select(h => h.HintKind).ToHashSet();
                if (!hints.Contains(TableHintKind.ReadPast))
                {
                    continue;
                }

                var where = $"{module.Script.Name} line {table.StartLine}: READPAST on {string.Join('.', table.SchemaObject.Identifiers.Select(i => i.Value))}";
                if (hints.Contains(TableHintKind.HoldLock) || hints.Contains(TableHintKind.Serializable))
                {
                    yield return $"{where} with HOLDLOCK/SERIALIZABLE (Msg 650: READPAST needs READ COMMITTED or REPEATABLE READ)";
                }
                else if (levels.Contains(IsolationLevel.Serializable))
                {
                    yield return $"{where} in {module.Name}, which sets SERIALIZABLE (Msg 650)";
                }
                else if (levels.Contains(IsolationLevel.Snapshot)
                         && !hints.Contains(TableHintKind.UpdLock) && !hints.Contains(TableHintKind.XLock))
                {
                    yield return $"{where} in {module.Name}, which sets SNAPSHOT, without UPDLOCK or XLOCK beside it";
                }
            }
        }
    }

    private static List<T> Find<T>(TSqlFragment fragment)
        where T : TSqlFragment
    {
        var finder = new Finder<T>();
        fragment.Accept(finder);
        return finder.Found;
    }

    private static IEnumerable<string> References(TSqlFragment fragment) =>
        Find<SchemaObjectFunctionTableReference>(fragment).Select(f => Catalog.Key(f.SchemaObject))
            .Concat(Find<ExecutableProcedureReference>(fragment)
                .Where(p => p.ProcedureReference?.ProcedureReference is not null)
                .Select(p => Catalog.Key(p.ProcedureReference.ProcedureReference.Name)))
            .Concat(Find<FunctionCall>(fragment)
                .Where(f => f.CallTarget is MultiPartIdentifierCallTarget)
                .Select(f => $"{((MultiPartIdentifierCallTarget)f.CallTarget).MultiPartIdentifier.Identifiers[^1].Value}.{f.FunctionName.Value}"))
            .Concat(Find<UserDataTypeReference>(fragment).Select(t => Catalog.Key(t.Name)))
            .Concat(Find<NamedTableReference>(fragment).Where(t => t.SchemaObject.SchemaIdentifier is not null).Select(t => Catalog.Key(t.SchemaObject)));

    private sealed record Module(Catalog Catalog, ParsedScript Script, TSqlFragment Body, string Name);

    private static IEnumerable<Module> Modules(Catalog catalog) =>
        from script in catalog.Scripts
        from statement in script.Tree.Batches.SelectMany(b => b.Statements)
        let name = statement switch
        {
            ProcedureStatementBody p => Catalog.Key(p.ProcedureReference.Name),
            FunctionStatementBody f => Catalog.Key(f.Name),
            _ => null,
        }
        where name is not null
        select new Module(catalog, script, statement, name);

    private sealed class Finder<T> : TSqlFragmentVisitor
        where T : TSqlFragment
    {
        public List<T> Found { get; } = [];

        public override void Visit(TSqlFragment node)
        {
            if (node is T found)
            {
                Found.Add(found);
            }
        }
    }

    /// <summary>Walks one module keeping the scope (tables by alias) of the query or statement it is in.</summary>
    private abstract class ScopedWalker(Module module) : TSqlFragmentVisitor
    {
        private readonly Stack<Scope> scopes = new();

        protected Resolver Resolver { get; } = new(module.Catalog, Variables.Of(module.Body));

        protected Scope? Scope => scopes.Count > 0 ? scopes.Peek() : null;

        protected List<string> Findings { get; } = [];

        protected void Report(TSqlFragment where, string what) =>
            Findings.Add($"{module.Script.Name} line {where.StartLine} ({module.Name}): {what}");

        public List<string> Run()
        {
            module.Body.Accept(this);
            return Findings;
        }

        // Visit runs before a node's children: the CTEs are known before the query that reads them.
        public override void Visit(SelectStatement node) => Resolver.AddCtes(node.WithCtesAndXmlNamespaces);

        public override void Visit(DataModificationStatement node) => Resolver.AddCtes(node.WithCtesAndXmlNamespaces);

        public override void ExplicitVisit(QuerySpecification node) =>
            Within(Resolver.ScopeOf(node.FromClause?.TableReferences ?? [], Scope), () => base.ExplicitVisit(node));

        public override void ExplicitVisit(UpdateSpecification node) =>
            Within(TargetScope(node.Target, node.FromClause), () => base.ExplicitVisit(node));

        public override void ExplicitVisit(DeleteSpecification node) =>
            Within(TargetScope(node.Target, node.FromClause), () => base.ExplicitVisit(node));

        public override void ExplicitVisit(InsertSpecification node) =>
            Within(TargetScope(node.Target, null), () => base.ExplicitVisit(node));

        // UPDATE a ... FROM dbo.accounts a: the target names an alias of the FROM clause.
        private Scope TargetScope(TableReference target, FromClause? from)
        {
            var scope = Resolver.ScopeOf(from?.TableReferences ?? [], Scope);
            var alias = target switch
            {
                NamedTableReference { SchemaObject.SchemaIdentifier: null } named => named.SchemaObject.BaseIdentifier.Value,
                _ => null,
            };
            return alias is not null && scope.TryGet(alias, out _) ? scope : Resolver.ScopeOf([target, .. from?.TableReferences ?? []], Scope);
        }

        private void Within(Scope scope, Action visit)
        {
            scopes.Push(scope);
            try
            {
                visit();
            }
            finally
            {
                scopes.Pop();
            }
        }

        /// <summary>The columns of an INSERT's or UPDATE's target when it is a table variable (null otherwise).</summary>
        protected List<Column>? TableVariableColumns(TableReference target) =>
            target is VariableTableReference variable ? Resolver.TableVariable(variable.Variable.Name) : null;

        protected static string Describe(ColumnReferenceExpression column) =>
            string.Join('.', column.MultiPartIdentifier.Identifiers.Select(i => i.Value));
    }

    private sealed class UnionWalker(Module module) : ScopedWalker(module)
    {
        private int depth;

        public override void ExplicitVisit(BinaryQueryExpression node)
        {
            if (depth == 0)
            {
                foreach (var (column, i) in Resolver.OutputColumns(node, Resolver, Scope).Select((c, i) => (c, i)))
                {
                    if (Resolver.LabelOf(column) is { IsUnresolved: true } label)
                    {
                        Report(node, $"{node.BinaryQueryExpressionType} column {i + 1} ('{column.Name}') mixes collations {label.Name} " +
                            "without COLLATE (Msg 451)");
                    }
                }
            }
            depth++;
            base.ExplicitVisit(node);
            depth--;
        }
    }

    private sealed class TableTypeWalker(Module module) : ScopedWalker(module)
    {
        public override void Visit(InsertSpecification node)
        {
            if (TableVariableColumns(node.Target) is not { } columns)
            {
                return;
            }
            var variable = ((VariableTableReference)node.Target).Variable.Name;
            var target = node.Columns.Count > 0 ? [.. node.Columns.Select(c => c.MultiPartIdentifier.Identifiers[^1].Value)] : columns.Select(c => c.Name).ToList();
            foreach (var missing in target.Where(t => !columns.Any(c => c.Name.Equals(t, StringComparison.OrdinalIgnoreCase))))
            {
                Report(node, $"INSERT INTO {variable} names column '{missing}', which its type does not have");
            }
            switch (node.InsertSource)
            {
                case ValuesInsertSource values:
                    foreach (var row in values.RowValues.Where(r => r.ColumnValues.Count != target.Count))
                    {
                        Report(row, $"INSERT INTO {variable} gives {row.ColumnValues.Count} values for {target.Count} columns");
                    }
                    break;
                case SelectInsertSource select:
                    var source = Resolver.OutputColumns(select.Select, Resolver, Scope);
                    if (source.Count != target.Count)
                    {
                        Report(node, $"INSERT INTO {variable} selects {source.Count} columns into {target.Count}");
                    }
                    else if (IsStar(select.Select) && source.Select(c => c.Name).Where((name, i) => !name.Equals(target[i], StringComparison.OrdinalIgnoreCase)).Any())
                    {
                        Report(node, $"INSERT INTO {variable} SELECT * puts ({string.Join(", ", source.Select(c => c.Name))}) into " +
                            $"({string.Join(", ", target)}): the columns differ or are in another order");
                    }
                    break;
            }
        }

        public override void Visit(UpdateSpecification node)
        {
            if (TableVariableColumns(node.Target) is not { } columns)
            {
                return;
            }
            foreach (var set in node.SetClauses.OfType<AssignmentSetClause>().Where(s => s.Column is not null))
            {
                var name = set.Column.MultiPartIdentifier.Identifiers[^1].Value;
                if (!columns.Any(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                {
                    Report(set, $"UPDATE {((VariableTableReference)node.Target).Variable.Name} sets column '{name}', which its type does not have");
                }
            }
        }

        // SELECT a, b FROM @result: every column read from a table variable is one its type has.
        public override void ExplicitVisit(QuerySpecification node)
        {
            if (node.FromClause?.TableReferences is [VariableTableReference variable] && Resolver.TableVariable(variable.Variable.Name) is { } columns)
            {
                var references = new Finder<ColumnReferenceExpression>();
                foreach (var element in node.SelectElements)
                {
                    element.Accept(references);
                }
                node.OrderByClause?.Accept(references);
                node.WhereClause?.Accept(references);
                foreach (var reference in references.Found.Where(r => r.ColumnType == ColumnType.Regular))
                {
                    var name = reference.MultiPartIdentifier.Identifiers[^1].Value;
                    if (!columns.Any(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                    {
                        Report(reference, $"{variable.Variable.Name} has no column '{name}'");
                    }
                }
            }
            base.ExplicitVisit(node);
        }

        private static bool IsStar(QueryExpression query) =>
            query is QuerySpecification { SelectElements: [SelectStarExpression] };
    }

    private sealed class NarrowingWalker(Module module) : ScopedWalker(module)
    {
        public override void Visit(BooleanComparisonExpression node)
        {
            Compare(node.FirstExpression, node.SecondExpression, "compared with");
            Compare(node.SecondExpression, node.FirstExpression, "compared with");
        }

        public override void Visit(InPredicate node)
        {
            foreach (var value in node.Values)
            {
                Compare(value, node.Expression, "compared with");
            }
        }

        public override void Visit(AssignmentSetClause node)
        {
            if (node.Column is not null && node.NewValue is not null)
            {
                Compare(node.NewValue, node.Column, "written to");
            }
        }

        // SELECT @v = column: the column's value is cut to the variable's length.
        public override void Visit(SelectSetVariable node) => Compare(node.Variable, node.Expression, "set from");

        public override void Visit(InsertSpecification node)
        {
            if (node.Columns.Count == 0)
            {
                return;
            }
            var rows = node.InsertSource switch
            {
                ValuesInsertSource values => values.RowValues.Select(r => (IList<ScalarExpression>)r.ColumnValues),
                SelectInsertSource { Select: QuerySpecification select } when select.SelectElements.All(e => e is SelectScalarExpression) =>
                    [[.. select.SelectElements.Cast<SelectScalarExpression>().Select(e => e.Expression)]],
                _ => [],
            };
            foreach (var row in rows)
            {
                foreach (var (value, column) in row.Zip(node.Columns))
                {
                    Compare(value, column, "written to");
                }
            }
        }

        // EXEC dbo.x @p = @v: @v is cut to @p's length; for OUTPUT, @p's value is cut to @v's.
        public override void Visit(ExecuteSpecification node)
        {
            if (node.ExecutableEntity is not ExecutableProcedureReference { ProcedureReference.ProcedureReference: { } procedure } call
                || !Resolver.Catalog.Procedures.TryGetValue(Catalog.Key(procedure.Name), out var parameters))
            {
                return;
            }
            foreach (var argument in call.Parameters.Where(p => p.Variable is not null && p.ParameterValue is VariableReference))
            {
                var parameter = parameters.FirstOrDefault(p => p.Name.Equals(argument.Variable.Name, StringComparison.OrdinalIgnoreCase));
                var value = (VariableReference)argument.ParameterValue;
                if (parameter.Type is not { } parameterType || Resolver.Variables.GetValueOrDefault(value.Name) is not { } valueType)
                {
                    continue;
                }
                if (Narrower(parameterType, valueType))
                {
                    Report(argument, $"{value.Name} {valueType} is passed to {Catalog.Key(procedure.Name)} {parameter.Name} {parameterType}, " +
                        "which cuts longer values to fit, silently");
                }
                if (argument.IsOutput && Narrower(valueType, parameterType))
                {
                    Report(argument, $"{value.Name} {valueType} receives {Catalog.Key(procedure.Name)} {parameter.Name} {parameterType} OUTPUT, " +
                        "cut to fit, silently");
                }
            }
        }

        private void Compare(ScalarExpression value, ScalarExpression target, string how)
        {
            if (Unwrap(value) is not VariableReference variable || Resolver.Variables.GetValueOrDefault(variable.Name) is not { } variableType
                || Unwrap(target) is not ColumnReferenceExpression column || Resolver.Find(column, Scope)?.Type is not { } columnType)
            {
                return;
            }
            if (Narrower(variableType, columnType))
            {
                Report(value, $"{variable.Name} {variableType} is {how} {Describe(column)} {columnType}: a longer value is cut to fit, silently");
            }
        }

        private static ScalarExpression Unwrap(ScalarExpression expression) =>
            expression is ParenthesisExpression parenthesis ? Unwrap(parenthesis.Expression) : expression;

        private static bool Narrower(SqlType narrow, SqlType wide) =>
            narrow.IsString && wide.IsString && (narrow.Length < wide.Length || (!narrow.IsUnicode && wide.IsUnicode));
    }
}
