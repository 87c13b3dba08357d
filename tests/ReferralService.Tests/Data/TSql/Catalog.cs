using Microsoft.SqlServer.TransactSql.ScriptDom;
using ReferralService.Data;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Data.TSql;

/// <summary>
/// One script, parsed. DbUp splits a script into batches at GO lines and sends each as one command; a
/// <paramref name="SingleCommand"/> script is sent whole (db/sqlserver/prerequisites.sql).
/// </summary>
internal sealed record ParsedScript(int Order, string Name, string Text, TSqlScript Tree, bool SingleCommand = false);

/// <summary>A column or parameter type: length in characters (int.MaxValue for max) for strings.</summary>
internal sealed record SqlType(string Name, int? Length, string? Collation)
{
    public bool IsString => Name is "char" or "varchar" or "nchar" or "nvarchar";

    public bool IsUnicode => Name is "nchar" or "nvarchar";

    public override string ToString() => IsString ? $"{Name}({(Length == int.MaxValue ? "max" : Length)})" : Name;
}

/// <summary>A column of a table, table type, function result, CTE or derived table.</summary>
internal sealed record Column(string Name, SqlType? Type, CollationLabel? Label = null);

/// <summary>
/// What the deployed T-SQL scripts create, read from the scripts themselves in deploy order: tables and
/// table types with their columns, inline functions with their result columns, procedures with their
/// parameters, and which script creates each object.
/// </summary>
internal sealed class Catalog
{
    private static readonly StringComparer Names = StringComparer.OrdinalIgnoreCase;

    private Catalog(IReadOnlyList<ParsedScript> scripts)
    {
        Scripts = scripts;
        foreach (var script in scripts)
        {
            foreach (var statement in script.Tree.Batches.SelectMany(b => b.Statements))
            {
                Add(script, statement);
            }
        }
    }

    public IReadOnlyList<ParsedScript> Scripts { get; }

    public Dictionary<string, List<Column>> Tables { get; } = new(Names);

    public Dictionary<string, List<Column>> TableTypes { get; } = new(Names);

    public Dictionary<string, List<Column>> Functions { get; } = new(Names);

    public Dictionary<string, List<(string Name, SqlType? Type)>> Procedures { get; } = new(Names);

    /// <summary>Object (schema.name) to the script that creates it.</summary>
    public Dictionary<string, ParsedScript> CreatedBy { get; } = new(Names);

    private static readonly string Folder = Path.Combine(Repository.Root, "db", "sqlserver");

    /// <summary>
    /// db/sqlserver as the service deploys it: prerequisites.sql as one command, then Migrations.Scripts
    /// in their order, then any <paramref name="extra"/> scripts.
    /// </summary>
    public static Catalog Deployed(params (string Name, string Text)[] extra)
    {
        var prerequisites = Path.Combine(Folder, "prerequisites.sql");
        var deployed = Migrations.Scripts(Folder).Select(s => (s.Name, s.Contents));
        return new([
            new ParsedScript(0, "prerequisites.sql", File.ReadAllText(prerequisites), Parse(File.ReadAllText(prerequisites)), SingleCommand: true),
            .. Of([.. deployed, .. extra]).Scripts.Select(s => s with { Order = s.Order + 1 })]);
    }

    /// <summary>The schema scripts (tables, table types) and then <paramref name="extra"/>: for feeding a rule a bad script.</summary>
    public static Catalog Schema(params (string Name, string Text)[] extra) =>
        Of([.. Migrations.Scripts(Folder).Where(s => s.SqlScriptOptions.ScriptType == DbUp.Support.ScriptType.RunOnce).Select(s => (s.Name, s.Contents)), .. extra]);

    public static Catalog Of(IEnumerable<(string Name, string Text)> scripts) =>
        new([.. scripts.Select((s, i) => new ParsedScript(i, s.Name, s.Text, Parse(s.Text)))]);

    public static Catalog OfSingleCommand(string name, string text) => new([new ParsedScript(0, name, text, Parse(text), SingleCommand: true)]);

    // A script that does not parse counts as empty here: Every_sql_server_script_parses reports it.
    private static TSqlScript Parse(string text)
    {
        using var reader = new StringReader(text);
        return new TSql160Parser(initialQuotedIdentifiers: true).Parse(reader, out _) as TSqlScript ?? new TSqlScript();
    }

    public static string Key(SchemaObjectName name) =>
        $"{name.SchemaIdentifier?.Value ?? "dbo"}.{name.BaseIdentifier.Value}";

    public static SqlType? TypeOf(DataTypeReference? type, Identifier? collation = null) => type switch
    {
        SqlDataTypeReference sql => new SqlType(sql.SqlDataTypeOption.ToString().ToLowerInvariant(), Length(sql), collation?.Value),
        UserDataTypeReference user => new SqlType(Key(user.Name), null, null),
        _ => null,
    };

    private static int? Length(SqlDataTypeReference type)
    {
        var isString = type.SqlDataTypeOption is SqlDataTypeOption.Char or SqlDataTypeOption.VarChar
            or SqlDataTypeOption.NChar or SqlDataTypeOption.NVarChar;
        if (!isString)
        {
            return null;
        }
        return type.Parameters.Count == 0 ? 1
            : type.Parameters[0] is MaxLiteral ? int.MaxValue
            : int.Parse(type.Parameters[0].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static List<Column> ColumnsOf(TableDefinition definition) =>
        [.. definition.ColumnDefinitions.Select(c => new Column(c.ColumnIdentifier.Value, TypeOf(c.DataType, c.Collation)))];

    private void Add(ParsedScript script, TSqlStatement statement)
    {
        switch (statement)
        {
            case CreateTableStatement table:
                Created(script, table.SchemaObjectName);
                Tables[Key(table.SchemaObjectName)] = ColumnsOf(table.Definition);
                break;
            case AlterTableAddTableElementStatement alter when Tables.TryGetValue(Key(alter.SchemaObjectName), out var columns):
                columns.AddRange(ColumnsOf(alter.Definition));
                break;
            case CreateTypeTableStatement type:
                Created(script, type.Name);
                TableTypes[Key(type.Name)] = ColumnsOf(type.Definition);
                break;
            case FunctionStatementBody function:
                Created(script, function.Name);
                Functions[Key(function.Name)] = FunctionColumns(function);
                break;
            case ProcedureStatementBody procedure:
                Created(script, procedure.ProcedureReference.Name);
                Procedures[Key(procedure.ProcedureReference.Name)] =
                    [.. procedure.Parameters.Select(p => (p.VariableName.Value, TypeOf(p.DataType)))];
                break;
        }
    }

    private void Created(ParsedScript script, SchemaObjectName name) => CreatedBy.TryAdd(Key(name), script);

    private List<Column> FunctionColumns(FunctionStatementBody function) => function.ReturnType switch
    {
        SelectFunctionReturnType select => Resolver.OutputColumns(select.SelectStatement.QueryExpression, new Resolver(this, Variables.Of(function)), null),
        TableValuedFunctionReturnType table => ColumnsOf(table.DeclareTableVariableBody.Definition),
        _ => [],
    };
}
