using Microsoft.Data.SqlClient;
using ReferralService.Data;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Data;

/// <summary>What a SQL Server database needs and gets from the migration; skipped, with how to run them, on PostgreSQL.</summary>
public sealed class SqlServerDatabaseTests
{
    [SetUp]
    public void OnlyOnSqlServer()
    {
        if (TestRun.Database.IsPostgres)
        {
            Assert.Ignore(TestDatabase.SqlServerHowTo);
        }
    }

    [Test]
    public async Task The_migrated_database_allows_snapshot_isolation_at_compatibility_level_130_or_more()
    {
        var settings = await TestRun.Database.ScalarAsync<string>("",
            "SELECT CONCAT(snapshot_isolation_state_desc, ' ', compatibility_level) FROM sys.databases WHERE database_id = DB_ID()");
        var parts = settings.Split(' ');

        Assert.That(parts[0], Is.EqualTo("ON"));
        Assert.That(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(130));
    }

    [Test]
    public async Task Idempotency_keys_are_clustered_on_their_purge_order()
    {
        var clustered = await TestRun.Database.ScalarAsync<string>("",
            "SELECT c.name FROM sys.indexes i JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id " +
            "JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id " +
            "WHERE i.object_id = OBJECT_ID('dbo.idempotency_keys') AND i.type = 1 AND ic.key_ordinal = 1");

        Assert.That(clustered, Is.EqualTo("created_at"));
    }

    [Test]
    public async Task A_database_below_compatibility_level_130_is_refused_with_the_statement_that_fixes_it()
    {
        var name = $"referral_compat_{Guid.NewGuid():N}"[..24];
        await TestRun.Database.ExecuteAsync("", $"CREATE DATABASE [{name}]; ALTER DATABASE [{name}] SET COMPATIBILITY_LEVEL = 120;");
        try
        {
            var connectionString = new SqlConnectionStringBuilder(TestRun.Database.ConnectionString) { InitialCatalog = name, Pooling = false }.ConnectionString;
            var dialect = new SqlServerDialect(connectionString);

            var refused = Assert.Throws<InvalidOperationException>(() => dialect.Migrate(Migrations.ScriptsRoot));

            Assert.That(refused.Message, Does.Contain("compatibility level 120").And.Contain("SET COMPATIBILITY_LEVEL = 160"));
        }
        finally
        {
            await TestRun.Database.ExecuteAsync("", $"DROP DATABASE [{name}];");
        }
    }
}
