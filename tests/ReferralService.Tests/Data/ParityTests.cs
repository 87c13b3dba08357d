using Microsoft.SqlServer.TransactSql.ScriptDom;
using Npgsql;
using ReferralService.Data;
using ReferralService.Tests.Data.TSql;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Data;

/// <summary>Both engines declare every procedure the data layer calls, with the same parameters in the same order.</summary>
public sealed class ParityTests
{
    private static readonly string SqlServerFolder = Path.Combine(Repository.Root, "db", "sqlserver");
    private static readonly string PostgresFolder = Path.Combine(Repository.Root, "db", "postgres");

    private static IEnumerable<string> SqlServerScripts() =>
        Directory.EnumerateFiles(SqlServerFolder, "*.sql", SearchOption.AllDirectories).Order();

    [TestCaseSource(nameof(SqlServerScripts))]
    public void Every_sql_server_script_parses(string path)
    {
        using var reader = new StreamReader(path);
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(reader, out var errors);

        Assert.That(errors.Select(e => $"line {e.Line}: {e.Message}"), Is.Empty, Path.GetFileName(path));
    }

    [Test]
    public void Both_engines_have_the_same_procedure_files()
    {
        static IEnumerable<string> Names(string folder) =>
            Directory.EnumerateFiles(Path.Combine(folder, "procedures"), "*.sql", SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(folder, path)).Order(StringComparer.Ordinal);

        Assert.That(Names(SqlServerFolder), Is.EqualTo(Names(PostgresFolder)));
    }

    [Test]
    public void The_data_layer_finds_every_procedure_it_calls_from_the_call_declarations()
    {
        var names = Procedure.All.Select(p => p.Name).ToList();

        Assert.That(names, Does.Contain("redeem").And.Contain("spend_credit").And.Contain("health_check").And.Contain("purge_idempotency_keys"));
        Assert.That(names, Is.Unique);
        Assert.That(Procedure.All.Where(p => p.RowType.IsGenericType && p.RowType.GetGenericTypeDefinition() == typeof(Nullable<>)), Is.Empty);
    }

    [Test]
    public void Sql_server_procedures_take_the_parameters_and_answer_with_the_columns_the_data_layer_declares()
    {
        var catalog = Catalog.Deployed();
        var declared = catalog.Procedures.ToDictionary(
            p => p.Key.Replace("dbo.", "", StringComparison.Ordinal), p => p.Value.Select(x => x.Name.TrimStart('@')).ToList());
        var results = ResultColumns.Of(catalog);

        Assert.Multiple(() =>
        {
            foreach (var procedure in Procedure.All)
            {
                Assert.That(declared.TryGetValue(procedure.Name, out var parameters), Is.True, $"dbo.{procedure.Name} is missing");
                Assert.That(parameters, Is.EqualTo(procedure.Parameters), $"{procedure.Name} parameters");
                var columns = results.GetValueOrDefault(procedure.Name) ?? [];
                if (IsScalar(procedure))
                {
                    Assert.That(columns, Has.Count.EqualTo(1), $"{procedure.Name} answers with one value");
                }
                else
                {
                    Assert.That(columns, Is.EqualTo(ExpectedColumns(procedure)), $"{procedure.Name} result columns");
                }
            }
        });
    }

    [Test]
    public async Task Postgres_functions_take_the_parameters_and_answer_with_the_columns_the_data_layer_declares()
    {
        if (!ReferralService.Tests.TestRun.Database.IsPostgres)
        {
            Assert.Ignore("The database of this run is SQL Server.");
        }
        await using var connection = new NpgsqlConnection(ReferralService.Tests.TestRun.Database.ConnectionString);
        await connection.OpenAsync();
        // Parameters without their p_ prefix; result columns: a composite type's attributes, none for a scalar.
        await using var command = new NpgsqlCommand(
            "SELECT p.proname, COALESCE(array_to_string(p.proargnames[1:p.pronargs], ','), ''), " +
            "       COALESCE((SELECT string_agg(a.attname, ',' ORDER BY a.attnum) FROM pg_attribute a " +
            "                 WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '') " +
            "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_type t ON t.oid = p.prorettype " +
            "WHERE n.nspname = 'public'", connection);
        var declared = new Dictionary<string, (List<string> Parameters, List<string> Columns)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                static List<string> Split(string names) => names.Length == 0 ? [] : [.. names.Split(',')];
                declared[reader.GetString(0)] = (
                    [.. Split(reader.GetString(1)).Select(n => n.StartsWith("p_", StringComparison.Ordinal) ? n[2..] : n)],
                    Split(reader.GetString(2)));
            }
        }

        Assert.Multiple(() =>
        {
            foreach (var procedure in Procedure.All)
            {
                Assert.That(declared.TryGetValue(procedure.Name, out var function), Is.True, $"{procedure.Name} is missing");
                Assert.That(function.Parameters, Is.EqualTo(procedure.Parameters), $"{procedure.Name} parameters");
                Assert.That(function.Columns, Is.EqualTo(ExpectedColumns(procedure)), $"{procedure.Name} result columns");
            }
        });
    }

    private static bool IsScalar(Procedure procedure) => procedure.RowType.IsPrimitive || procedure.RowType == typeof(string);

    /// <summary>
    /// The columns a row record's constructor takes, in order, as snake_case (an Outcome: status, then its row's);
    /// none for a scalar (one column of any name).
    /// </summary>
    private static List<string> ExpectedColumns(Procedure procedure)
    {
        static IEnumerable<string> ColumnsOf(Type row) =>
            row.GetConstructors().Single().GetParameters().Select(p => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name!));
        var type = procedure.RowType;
        return IsScalar(procedure) ? []
            : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Outcome<>) ? ["status", .. ColumnsOf(type.GetGenericArguments()[0])]
            : [.. ColumnsOf(type)];
    }
}
