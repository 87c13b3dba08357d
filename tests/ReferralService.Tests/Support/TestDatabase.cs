using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Dapper;
using DotNet.Testcontainers.Builders;
using Microsoft.Data.SqlClient;
using Npgsql;
using Testcontainers.MsSql;

namespace ReferralService.Tests.Support;

/// <summary>
/// The database of a test run, chosen from the environment, first match wins:
/// REFERRAL_TEST_SQLSERVER (a connection string): that SQL Server runs the whole suite;
/// REFERRAL_TEST_ENGINE=sqlserver where a Docker engine answers: a SQL Server 2022 container started for the run;
/// REFERRAL_TEST_POSTGRES (a connection string): that PostgreSQL;
/// otherwise a throwaway PostgreSQL cluster started from the machine's server binaries.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    public const string SqlServerImage = "mcr.microsoft.com/mssql/server:2022-latest";

    /// <summary>Why SQL Server-only tests are skipped on a PostgreSQL run, and how to run them.</summary>
    public static string SqlServerHowTo { get; private set; } =
        "This run is on PostgreSQL. To run the whole suite against SQL Server: " +
        "REFERRAL_TEST_SQLSERVER=\"Server=...;Database=referral_tests;User Id=...;Password=...;TrustServerCertificate=true\" dotnet test, " +
        $"or, where a Docker engine runs, REFERRAL_TEST_ENGINE=sqlserver dotnet test (starts {SqlServerImage}).";

    private readonly string? clusterDirectory;
    private readonly MsSqlContainer? container;

    private TestDatabase(string provider, string connectionString, string? clusterDirectory, MsSqlContainer? container = null)
    {
        Provider = provider;
        ConnectionString = connectionString;
        this.clusterDirectory = clusterDirectory;
        this.container = container;
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    public bool IsPostgres => Provider == "Postgres";

    /// <summary>The cluster's data directory when this run owns it (restart tests need it).</summary>
    public string? ClusterDirectory => clusterDirectory;

    /// <summary>A connection to the run's database, opened (for tests that read or tamper with it directly).</summary>
    public Task<DbConnection> OpenAsync() => OpenAsync(ConnectionString);

    /// <summary>A connection to another database on this run's server (one of <see cref="CreateDatabaseAsync"/>), opened.</summary>
    public async Task<DbConnection> OpenAsync(string connectionString)
    {
        DbConnection connection = IsPostgres ? new NpgsqlConnection(connectionString) : new SqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Runs one of two statements, whichever is in this run's engine's dialect; answers the rows it changed.</summary>
    public async Task<int> ExecuteAsync(string postgres, string sqlServer, object? parameters = null)
    {
        await using var connection = await OpenAsync();
        return await connection.ExecuteAsync(IsPostgres ? postgres : sqlServer, parameters);
    }

    public async Task<T> ScalarAsync<T>(string postgres, string sqlServer, object? parameters = null)
    {
        await using var connection = await OpenAsync();
        return await connection.ExecuteScalarAsync<T>(IsPostgres ? postgres : sqlServer, parameters) ?? throw new InvalidOperationException("no value");
    }

    /// <summary>
    /// A new, empty database on this run's server, for tests that must not share data with the others (a moved
    /// clock makes every due item in its database due: Support/TimeTravel). Answers its connection string.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        if (!IsPostgres)
        {
            return CreatedIfMissing(new SqlConnectionStringBuilder(ConnectionString) { InitialCatalog = name }.ConnectionString);
        }
        await using (var connection = await OpenAsync())
        {
            await connection.ExecuteAsync($"CREATE DATABASE \"{name}\"");
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    public static async Task<TestDatabase> StartAsync()
    {
        var sqlServer = Environment.GetEnvironmentVariable("REFERRAL_TEST_SQLSERVER");
        if (!string.IsNullOrWhiteSpace(sqlServer))
        {
            return new TestDatabase("SqlServer", CreatedIfMissing(sqlServer), null);
        }
        if (string.Equals(Environment.GetEnvironmentVariable("REFERRAL_TEST_ENGINE"), "sqlserver", StringComparison.OrdinalIgnoreCase))
        {
            var started = await StartSqlServerContainerAsync();
            if (started is not null)
            {
                return started;
            }
        }
        var postgres = Environment.GetEnvironmentVariable("REFERRAL_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            return new TestDatabase("Postgres", postgres, null);
        }
        var directory = Path.Combine(Path.GetTempPath(), "referral-tests-" + Guid.NewGuid().ToString("N")[..8]);
        var port = FreePort();
        var output = await RunScriptAsync("start", directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var connectionString = output.Trim().Split('\n')[^1] + ";Maximum Pool Size=100;Timeout=30";
        return new TestDatabase("Postgres", connectionString, directory);
    }

    public Task StopServerAsync() => RunScriptAsync("stop", clusterDirectory!);

    public Task StartServerAsync() =>
        RunScriptAsync("start", clusterDirectory!, new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static async Task<TestDatabase?> StartSqlServerContainerAsync()
    {
        MsSqlContainer? container = null;
        try
        {
            container = new MsSqlBuilder(SqlServerImage).Build();
            await container.StartAsync();
        }
        catch (DockerUnavailableException ex)
        {
            if (container is not null)
            {
                await container.DisposeAsync();
            }
            SqlServerHowTo = $"REFERRAL_TEST_ENGINE=sqlserver, but no Docker engine answered ({ex.Message}), so this run is on PostgreSQL. " +
                "Start Docker, or point REFERRAL_TEST_SQLSERVER at a SQL Server.";
            await TestContext.Progress.WriteLineAsync(SqlServerHowTo);
            return null;
        }
        var database = new SqlConnectionStringBuilder(container.GetConnectionString()) { InitialCatalog = "referral_tests" };
        return new TestDatabase("SqlServer", CreatedIfMissing(database.ConnectionString), null, container);
    }

    // The suite's own database on that server, created on first use (tests never share data, so a
    // database left from an earlier run can serve again).
    private static string CreatedIfMissing(string connectionString)
    {
        DbUp.EnsureDatabase.For.SqlDatabase(connectionString, new DbUp.Engine.Output.NoOpUpgradeLog());
        return connectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (container is not null)
        {
            await container.DisposeAsync();
        }
        if (clusterDirectory is not null)
        {
            await RunScriptAsync("stop", clusterDirectory);
            Directory.Delete(clusterDirectory, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> RunScriptAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "scripts", "local-postgres.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"local-postgres.sh {string.Join(' ', arguments)} failed: {await stderr}");
        }
        return await stdout;
    }
}
