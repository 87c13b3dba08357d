using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ReferralService.Tests.Support;

/// <summary>
/// The database of a test run: a throwaway PostgreSQL cluster started from the machine's server
/// binaries, unless REFERRAL_TEST_POSTGRES (a connection string) points at one, or
/// REFERRAL_TEST_SQLSERVER points at a SQL Server, which then runs the same suite.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? clusterDirectory;

    private TestDatabase(string provider, string connectionString, string? clusterDirectory)
    {
        Provider = provider;
        ConnectionString = connectionString;
        this.clusterDirectory = clusterDirectory;
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    public bool IsPostgres => Provider == "Postgres";

    /// <summary>The cluster's data directory when this run owns it (restart tests need it).</summary>
    public string? ClusterDirectory => clusterDirectory;

    public static async Task<TestDatabase> StartAsync()
    {
        var sqlServer = Environment.GetEnvironmentVariable("REFERRAL_TEST_SQLSERVER");
        if (!string.IsNullOrWhiteSpace(sqlServer))
        {
            return new TestDatabase("SqlServer", sqlServer, null);
        }
        var postgres = Environment.GetEnvironmentVariable("REFERRAL_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            return new TestDatabase("Postgres", postgres, null);
        }
        var directory = Path.Combine(Path.GetTempPath(), "referral-tests-" + Guid.NewGuid().ToString("N")[..8]);
        var port = FreePort();
        var output = await RunScriptAsync("start", directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var connectionString = output.Trim().Split('\n')[^1] + ";Maximum Pool Size=200;Timeout=5";
        return new TestDatabase("Postgres", connectionString, directory);
    }

    public Task StopServerAsync() => RunScriptAsync("stop", clusterDirectory!);

    public Task StartServerAsync() =>
        RunScriptAsync("start", clusterDirectory!, new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync()
    {
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
