using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace ReferralService.Tests.Data.TSql;

/// <summary>
/// The columns each procedure answers with: those of its last SELECT that returns rows (not one that sets
/// variables, feeds an INSERT or sits in a predicate). <c>SELECT * FROM @v</c> takes the columns of @v's
/// table type; a scalar procedure (one unnamed column) has none.
/// </summary>
internal static class ResultColumns
{
    public static Dictionary<string, List<string>> Of(Catalog catalog)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var procedure in catalog.Scripts.SelectMany(s => s.Tree.Batches).SelectMany(b => b.Statements).OfType<ProcedureStatementBody>())
        {
            var finder = new LastSelect();
            procedure.Accept(finder);
            if (finder.Last is { } select)
            {
                result[procedure.ProcedureReference.Name.BaseIdentifier.Value] = ColumnsOf(select, finder.TableVariables, catalog);
            }
        }
        return result;
    }

    private static List<string> ColumnsOf(QuerySpecification select, Dictionary<string, string> tableVariables, Catalog catalog)
    {
        if (select.SelectElements is [SelectStarExpression] && select.FromClause?.TableReferences is [VariableTableReference variable]
            && tableVariables.TryGetValue(variable.Variable.Name, out var tableType) && catalog.TableTypes.TryGetValue(tableType, out var columns))
        {
            return [.. columns.Select(c => c.Name)];
        }
        var names = select.SelectElements.Select(element => element switch
        {
            SelectScalarExpression { ColumnName: { } alias } => alias.Value,
            SelectScalarExpression { Expression: ColumnReferenceExpression column } => column.MultiPartIdentifier.Identifiers[^1].Value,
            SelectStarExpression => "*",
            _ => "",
        }).ToList();
        return names is [""] ? [] : names;
    }

    private sealed class LastSelect : TSqlFragmentVisitor
    {
        public QuerySpecification? Last { get; private set; }

        public Dictionary<string, string> TableVariables { get; } = new(StringComparer.OrdinalIgnoreCase);

        public override void Visit(DeclareVariableElement node)
        {
            if (node.DataType is UserDataTypeReference type)
            {
                TableVariables[node.VariableName.Value] = Catalog.Key(type.Name);
            }
        }

        public override void Visit(SelectStatement node)
        {
            if (node.Into is null && node.QueryExpression is QuerySpecification query
                && !query.SelectElements.OfType<SelectSetVariable>().Any())
            {
                Last = query;
            }
        }
    }
}
