using Dapper;
using DbUp;
using DbUp.Engine;
using DbUp.Support;
using Npgsql;
using ReferralService.Data;

namespace ReferralService.Tests.Data;

/// <summary>What DbUp's journal holds after a migration: each schema script once, under its current name, and a database journaled under renamed scripts' old names is upgraded without running them again.</summary>
public sealed class MigrationTests
{
    private static string EngineFolder => Path.Combine(Migrations.ScriptsRoot, TestRun.Database.IsPostgres ? "postgres" : "sqlserver");

    private static List<string> SchemaScripts(string engineFolder) =>
        [.. Migrations.Scripts(engineFolder).Where(s => s.SqlScriptOptions.ScriptType == ScriptType.RunOnce).Select(s => s.Name)];

    [Test]
    public async Task The_journal_holds_every_schema_script_once_under_its_current_name_and_no_procedure_script()
    {
        await using var connection = await TestRun.Database.OpenAsync();
        var journaled = (await connection.QueryAsync<string>(TestRun.Database.IsPostgres
            ? "SELECT scriptname FROM schemaversions" : "SELECT ScriptName FROM SchemaVersions")).ToList();

        Assert.That(journaled.Where(SchemaScripts(EngineFolder).Contains), Is.EquivalentTo(SchemaScripts(EngineFolder)));
        Assert.That(journaled.Where(name => !name.StartsWith('0')), Is.Empty, "procedure scripts run on every deploy and are never journaled");
    }

    [Test]
    public void Schema_scripts_deploy_first_then_helpers_then_the_feature_folders_in_name_order()
    {
        var folder = Directory.CreateTempSubdirectory("referral-layout-").FullName;
        try
        {
            string[] files = ["schema/0002_b.sql", "schema/0001_a.sql", "procedures/redemptions/redeem.sql", "procedures/codes/check_code.sql",
                "procedures/helpers/view.sql", "procedures/helpers/a_view.sql"];
            foreach (var file in files)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, file))!);
                File.WriteAllText(Path.Combine(folder, file), "SELECT 1;");
            }

            string[] deployOrder = ["0001_a.sql", "0002_b.sql", "helpers.a_view.sql", "helpers.view.sql", "codes.check_code.sql", "redemptions.redeem.sql"];

            Assert.That(Migrations.Scripts(folder).Select(s => s.Name), Is.EqualTo(deployOrder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task A_database_journaled_under_the_old_names_of_renamed_scripts_runs_none_of_them_again()
    {
        if (!TestRun.Database.IsPostgres)
        {
            Assert.Ignore("The renamed scripts are PostgreSQL's (SQL Server kept its numbers).");
        }
        var folder = EngineFolder;
        // The schema scripts of the release before the renumbering, by the names it journaled them under, and
        // the file each is now (same statements); the empty twins 0002_result_types and 0006 did not exist then.
        var earlierRelease = new Dictionary<string, string>
        {
            ["0001_core.sql"] = "0001_core.sql",
            ["0002_lean_writes.sql"] = "0003_lean_writes.sql",
            ["0003_idempotency_purge.sql"] = "0004_idempotency_purge.sql",
            ["0005_money_safety.sql"] = "0005_money_safety.sql",
        };
        var earlierScripts = earlierRelease
            .Select(s => new SqlScript(s.Key, File.ReadAllText(Path.Combine(folder, "schema", s.Value))))
            .ToList();
        var name = $"referral_journal_{Guid.NewGuid():N}"[..30];
        await TestRun.Database.ExecuteAsync($"CREATE DATABASE {name}", "");
        var connectionString = new NpgsqlConnectionStringBuilder(TestRun.Database.ConnectionString) { Database = name, Pooling = false }.ConnectionString;
        try
        {
            var earlier = DeployChanges.To.PostgresqlDatabase(connectionString).WithScripts(earlierScripts).WithTransactionPerScript()
                .WithVariablesDisabled().LogToNowhere().Build().PerformUpgrade();
            Assert.That(earlier.Successful, Is.True, earlier.Error?.Message);
            var before = await JournalAsync(connectionString);
            Assert.That(before.Select(j => j.Name), Is.EquivalentTo(earlierRelease.Keys));

            // Each earlier script creates or drops something without IF [NOT] EXISTS: one that ran again would fail.
            using (var dialect = new PostgresDialect(connectionString))
            {
                dialect.Migrate(Migrations.ScriptsRoot);
            }
            var after = await JournalAsync(connectionString);
            using (var dialect = new PostgresDialect(connectionString))
            {
                dialect.Migrate(Migrations.ScriptsRoot);
            }
            var again = await JournalAsync(connectionString);

            Assert.Multiple(() =>
            {
                Assert.That(after.Take(before.Count), Is.EqualTo(before), "the earlier entries stay as they were");
                Assert.That(after.Select(j => j.Name), Is.EquivalentTo(earlierRelease.Keys.Union(SchemaScripts(folder))));
                Assert.That(again, Is.EqualTo(after), "a second migration journals nothing");
            });
        }
        finally
        {
            await TestRun.Database.ExecuteAsync($"DROP DATABASE {name}", "");
        }
    }

    private static async Task<List<(string Name, DateTime Applied)>> JournalAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return [.. await connection.QueryAsync<(string Name, DateTime Applied)>(
            "SELECT scriptname, applied FROM schemaversions ORDER BY schemaversionsid")];
    }
}
