using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace ReferralService.Tests.Data.TSql;

/// <summary>
/// A string expression's collation and its label, as SQL Server's collation precedence defines them:
/// an explicit COLLATE beats a column's implicit collation, which beats the coercible default of literals
/// and variables; two different implicit collations combine into "no collation", which a UNION, a
/// comparison or a CONCAT cannot resolve (Msg 451, 468). Non-string and unknown expressions are neutral.
/// </summary>
internal sealed record CollationLabel(CollationKind Kind, string? Name = null)
{
    /// <summary>A column declared without COLLATE has the database's default collation, whatever that is.</summary>
    public const string DatabaseDefault = "(database default)";

    public static readonly CollationLabel Neutral = new(CollationKind.Neutral);
    public static readonly CollationLabel Coercible = new(CollationKind.CoercibleDefault);

    public bool IsUnresolved => Kind is CollationKind.NoCollation or CollationKind.Conflict;

    public static CollationLabel Combine(CollationLabel a, CollationLabel b) => (a.Kind, b.Kind) switch
    {
        (CollationKind.Neutral, _) => b,
        (_, CollationKind.Neutral) => a,
        (CollationKind.Conflict, _) => a,
        (_, CollationKind.Conflict) => b,
        (CollationKind.Explicit, CollationKind.Explicit) => Same(a, b) ? a : new(CollationKind.Conflict, $"{a.Name}, {b.Name}"),
        (CollationKind.Explicit, _) => a,
        (_, CollationKind.Explicit) => b,
        (CollationKind.NoCollation, _) => a,
        (_, CollationKind.NoCollation) => b,
        (CollationKind.Implicit, CollationKind.Implicit) => Same(a, b) ? a : new(CollationKind.NoCollation, $"{a.Name}, {b.Name}"),
        (CollationKind.Implicit, _) => a,
        (_, CollationKind.Implicit) => b,
        _ => a,
    };

    private static bool Same(CollationLabel a, CollationLabel b) => string.Equals(a.Name, b.Name, StringComparison.OrdinalIgnoreCase);
}

internal enum CollationKind
{
    Neutral,
    CoercibleDefault,
    Implicit,
    Explicit,
    NoCollation,
    Conflict,
}

/// <summary>The scalar variables and table variables of one procedure or function, by name (with the @).</summary>
internal sealed class Variables : Dictionary<string, SqlType?>
{
    private Variables()
        : base(StringComparer.OrdinalIgnoreCase)
    {
    }

    /// <summary>Table variables declared inline (DECLARE @t TABLE (...)): their columns.</summary>
    public Dictionary<string, List<Column>> Tables { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static Variables Of(TSqlFragment module)
    {
        var variables = new Variables();
        module.Accept(new Collector(variables));
        return variables;
    }

    private sealed class Collector(Variables variables) : TSqlFragmentVisitor
    {
        public override void Visit(ProcedureParameter node) => variables[node.VariableName.Value] = Catalog.TypeOf(node.DataType);

        public override void Visit(DeclareVariableElement node) => variables[node.VariableName.Value] = Catalog.TypeOf(node.DataType);

        public override void Visit(DeclareTableVariableBody node)
        {
            if (node.VariableName is not null)
            {
                variables.Tables[node.VariableName.Value] = Catalog.ColumnsOf(node.Definition);
            }
        }
    }
}

/// <summary>The tables a query reads, by alias, with the scope around it (for correlated subqueries).</summary>
internal sealed class Scope(Scope? parent)
{
    private readonly Dictionary<string, List<Column>?> sources = new(StringComparer.OrdinalIgnoreCase);

    public Scope? Parent { get; } = parent;

    public IEnumerable<List<Column>> Sources => sources.Values.OfType<List<Column>>();

    public void Add(string alias, List<Column>? columns) => sources[alias] = columns;

    public bool TryGet(string alias, out List<Column>? columns) => sources.TryGetValue(alias, out columns);
}

/// <summary>Resolves column references, types and collation labels in one module (procedure or function).</summary>
internal sealed class Resolver(Catalog catalog, Variables variables)
{
    private readonly Dictionary<string, List<Column>> ctes = new(StringComparer.OrdinalIgnoreCase);

    public Catalog Catalog => catalog;

    public Variables Variables => variables;

    /// <summary>Makes a statement's CTEs known, in order (each may read the ones before it).</summary>
    public void AddCtes(WithCtesAndXmlNamespaces? with)
    {
        foreach (var cte in with?.CommonTableExpressions ?? [])
        {
            var columns = OutputColumns(cte.QueryExpression, this, null);
            if (cte.Columns.Count > 0)
            {
                columns = [.. columns.Zip(cte.Columns, (c, name) => c with { Name = name.Value })];
            }
            ctes[cte.ExpressionName.Value] = columns;
        }
    }

    public Scope ScopeOf(IEnumerable<TableReference> tables, Scope? parent)
    {
        var scope = new Scope(parent);
        foreach (var table in tables)
        {
            AddSource(scope, table);
        }
        return scope;
    }

    public List<Column>? TableVariable(string name) =>
        variables.Tables.TryGetValue(name, out var inline) ? inline
        : variables.TryGetValue(name, out var type) && type is not null && catalog.TableTypes.TryGetValue(type.Name, out var typed) ? typed
        : null;

    public List<Column>? Table(SchemaObjectName name) =>
        name.SchemaIdentifier is null && ctes.TryGetValue(name.BaseIdentifier.Value, out var cte) ? cte
        : catalog.Tables.TryGetValue(Catalog.Key(name), out var table) ? table
        : null;

    private void AddSource(Scope scope, TableReference table)
    {
        switch (table)
        {
            case JoinTableReference join:
                AddSource(scope, join.FirstTableReference);
                AddSource(scope, join.SecondTableReference);
                break;
            case JoinParenthesisTableReference parenthesis:
                AddSource(scope, parenthesis.Join);
                break;
            case NamedTableReference named:
                scope.Add(named.Alias?.Value ?? named.SchemaObject.BaseIdentifier.Value, Table(named.SchemaObject));
                break;
            case VariableTableReference variable:
                scope.Add(variable.Alias?.Value ?? variable.Variable.Name, TableVariable(variable.Variable.Name));
                break;
            case QueryDerivedTable derived:
                scope.Add(derived.Alias.Value, OutputColumns(derived.QueryExpression, this, scope.Parent));
                break;
            case SchemaObjectFunctionTableReference function:
                scope.Add(function.Alias?.Value ?? function.SchemaObject.BaseIdentifier.Value,
                    catalog.Functions.TryGetValue(Catalog.Key(function.SchemaObject), out var columns) ? columns : null);
                break;
            case OpenJsonTableReference json:
                scope.Add(json.Alias?.Value ?? "openjson",
                    [.. json.SchemaDeclarationItems.Select(i => new Column(i.ColumnDefinition.ColumnIdentifier.Value,
                        Catalog.TypeOf(i.ColumnDefinition.DataType, i.ColumnDefinition.Collation)))]);
                break;
        }
    }

    /// <summary>The column a reference names, looked up in its scope and then the scopes around it; null when unknown or ambiguous.</summary>
    public static Column? Find(ColumnReferenceExpression reference, Scope? scope)
    {
        var parts = reference.MultiPartIdentifier?.Identifiers;
        if (parts is null || parts.Count == 0 || reference.ColumnType != ColumnType.Regular)
        {
            return null;
        }
        var name = parts[^1].Value;
        for (var s = scope; s is not null; s = s.Parent)
        {
            if (parts.Count >= 2)
            {
                if (s.TryGet(parts[^2].Value, out var columns))
                {
                    return columns?.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
                }
                continue;
            }
            var matches = s.Sources.Select(cs => cs.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                .OfType<Column>().ToList();
            if (matches.Count > 0)
            {
                return matches.Count == 1 ? matches[0] : null;
            }
        }
        return null;
    }

    public static List<Column> OutputColumns(QueryExpression query, Resolver resolver, Scope? parent)
    {
        switch (query)
        {
            case QueryParenthesisExpression parenthesis:
                return OutputColumns(parenthesis.QueryExpression, resolver, parent);
            case BinaryQueryExpression binary:
                var first = OutputColumns(binary.FirstQueryExpression, resolver, parent);
                var second = OutputColumns(binary.SecondQueryExpression, resolver, parent);
                return [.. first.Select((c, i) => i < second.Count
                    ? c with { Label = CollationLabel.Combine(LabelOf(c), LabelOf(second[i])) }
                    : c)];
            case QuerySpecification select:
                var scope = resolver.ScopeOf(select.FromClause?.TableReferences ?? [], parent);
                var columns = new List<Column>();
                foreach (var element in select.SelectElements)
                {
                    switch (element)
                    {
                        case SelectScalarExpression scalar:
                            var found = scalar.Expression is ColumnReferenceExpression reference ? Find(reference, scope) : null;
                            var name = scalar.ColumnName?.Value ?? found?.Name
                                ?? (scalar.Expression as ColumnReferenceExpression)?.MultiPartIdentifier.Identifiers[^1].Value ?? "";
                            columns.Add(new Column(name, found?.Type ?? resolver.TypeOf(scalar.Expression, scope),
                                resolver.LabelOf(scalar.Expression, scope)));
                            break;
                        case SelectStarExpression star when star.Qualifier is not null:
                            columns.AddRange(scope.TryGet(star.Qualifier.Identifiers[^1].Value, out var qualified) ? qualified ?? [] : []);
                            break;
                        case SelectStarExpression:
                            columns.AddRange(scope.Sources.SelectMany(s => s));
                            break;
                    }
                }
                return columns;
            default:
                return [];
        }
    }

    public static CollationLabel LabelOf(Column column) =>
        column.Label ?? (column.Type is { IsString: true } type
            ? new CollationLabel(CollationKind.Implicit, type.Collation ?? CollationLabel.DatabaseDefault)
            : CollationLabel.Neutral);

    /// <summary>The type of an expression where it is plain: a column, a variable, a CAST or CONVERT.</summary>
    public SqlType? TypeOf(ScalarExpression expression, Scope? scope) => expression switch
    {
        ColumnReferenceExpression column => Find(column, scope)?.Type,
        VariableReference variable => variables.GetValueOrDefault(variable.Name),
        CastCall cast => Catalog.TypeOf(cast.DataType),
        ConvertCall convert => Catalog.TypeOf(convert.DataType),
        ParenthesisExpression parenthesis => TypeOf(parenthesis.Expression, scope),
        _ => null,
    };

    public CollationLabel LabelOf(ScalarExpression expression, Scope? scope)
    {
        if (expression is PrimaryExpression { Collation: { } collation })
        {
            return new CollationLabel(CollationKind.Explicit, collation.Value);
        }
        return expression switch
        {
            ColumnReferenceExpression column => Find(column, scope) is { } found ? LabelOf(found) : CollationLabel.Neutral,
            StringLiteral => CollationLabel.Coercible,
            VariableReference variable => variables.GetValueOrDefault(variable.Name) is { IsString: true }
                ? CollationLabel.Coercible : CollationLabel.Neutral,
            CastCall cast => Converted(cast.DataType, cast.Parameter, scope),
            ConvertCall convert => Converted(convert.DataType, convert.Parameter, scope),
            ParenthesisExpression parenthesis => LabelOf(parenthesis.Expression, scope),
            BinaryExpression binary => CollationLabel.Combine(LabelOf(binary.FirstExpression, scope), LabelOf(binary.SecondExpression, scope)),
            CoalesceExpression coalesce => Combine(coalesce.Expressions, scope),
            NullIfExpression nullIf => CollationLabel.Combine(LabelOf(nullIf.FirstExpression, scope), LabelOf(nullIf.SecondExpression, scope)),
            SearchedCaseExpression searched => Combine([.. searched.WhenClauses.Select(w => w.ThenExpression), .. Else(searched.ElseExpression)], scope),
            SimpleCaseExpression simple => Combine([.. simple.WhenClauses.Select(w => w.ThenExpression), .. Else(simple.ElseExpression)], scope),
            FunctionCall call => FunctionLabel(call, scope),
            ScalarSubquery subquery => OutputColumns(subquery.QueryExpression, this, scope) is [var first, ..] ? LabelOf(first) : CollationLabel.Neutral,
            _ => CollationLabel.Neutral,
        };
    }

    private static IEnumerable<ScalarExpression> Else(ScalarExpression? expression) => expression is null ? [] : [expression];

    private CollationLabel Combine(IEnumerable<ScalarExpression> expressions, Scope? scope) =>
        expressions.Aggregate(CollationLabel.Neutral, (label, e) => CollationLabel.Combine(label, LabelOf(e, scope)));

    // A string from a string keeps its collation and label; a string from anything else gets the
    // database default as a coercible default.
    private CollationLabel Converted(DataTypeReference type, ScalarExpression inner, Scope? scope)
    {
        if (Catalog.TypeOf(type) is not { IsString: true })
        {
            return CollationLabel.Neutral;
        }
        var label = LabelOf(inner, scope);
        return label.Kind == CollationKind.Neutral ? CollationLabel.Coercible : label;
    }

    private static readonly HashSet<string> StringFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "CONCAT", "CONCAT_WS", "FORMAT", "STR", "STRING_AGG", "QUOTENAME", "LOWER", "UPPER", "LTRIM", "RTRIM", "TRIM",
        "LEFT", "RIGHT", "SUBSTRING", "REPLACE", "REPLICATE", "REVERSE", "STUFF", "ISNULL", "COALESCE",
    };

    private CollationLabel FunctionLabel(FunctionCall call, Scope? scope)
    {
        if (!StringFunctions.Contains(call.FunctionName.Value))
        {
            return CollationLabel.Neutral;
        }
        var label = Combine(call.Parameters, scope);
        return label.Kind == CollationKind.Neutral ? CollationLabel.Coercible : label;
    }
}
