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
    public void Sql_server_procedures_take_the_parameters_the_data_layer_passes()
    {
        var declared = Catalog.Deployed().Procedures.ToDictionary(
            p => p.Key.Replace("dbo.", "", StringComparison.Ordinal), p => p.Value.Select(x => x.Name.TrimStart('@')).ToList());

        Assert.Multiple(() =>
        {
            foreach (var procedure in Procedures.All)
            {
                Assert.That(declared.TryGetValue(procedure.Name, out var parameters), Is.True, $"dbo.{procedure.Name} is missing");
                Assert.That(parameters, Is.EqualTo(procedure.Parameters), procedure.Name);
            }
        });
    }

    [Test]
    public async Task Postgres_functions_take_the_parameters_the_data_layer_passes()
    {
        if (!ReferralService.Tests.TestRun.Database.IsPostgres)
        {
            Assert.Ignore("The database of this run is SQL Server.");
        }
        await using var connection = new NpgsqlConnection(ReferralService.Tests.TestRun.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT p.proname, COALESCE(array_to_string(p.proargnames[1:p.pronargs], ','), '') FROM pg_proc p " +
            "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'", connection);
        var declared = new Dictionary<string, List<string>>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var names = reader.GetString(1);
                declared[reader.GetString(0)] = names.Length == 0 ? [] : [.. names.Split(',').Select(n => n.StartsWith("p_", StringComparison.Ordinal) ? n[2..] : n)];
            }
        }

        Assert.Multiple(() =>
        {
            foreach (var procedure in Procedures.All)
            {
                Assert.That(declared.TryGetValue(procedure.Name, out var parameters), Is.True, $"{procedure.Name} is missing");
                Assert.That(parameters, Is.EqualTo(procedure.Parameters), procedure.Name);
            }
        });
    }
}
