using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ReferralService.Tests.Support;

/// <summary>The machine's clock plus an offset a test moves: time still passes, and a test jumps days ahead.</summary>
internal sealed class TestClock : TimeProvider
{
    private long offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

/// <summary>
/// A service on a database of its own, on a clock the test moves. Moving a clock makes due everything that is due at
/// the new time in the whole database (other tests' holds, keys, leases), so a test that moves time never shares a
/// database with tests that do not. Further instances (<see cref="Instance"/>) share the database and may share the
/// clock: several runners on one database. Their runners are off (Jobs:Enabled=false) unless a test's settings turn them
/// on: due work happens when the test runs a pass (<see cref="RunPassAsync"/>, POST /v1/jobs/run), never on a timer.
/// </summary>
internal sealed class TimeTravel : IAsyncDisposable
{
    private readonly List<WebApplicationFactory<Program>> instances = [];

    private TimeTravel(string connectionString) => ConnectionString = connectionString;

    public TestClock Clock { get; } = new();

    public string ConnectionString { get; }

    /// <summary>The first instance: it migrated the database.</summary>
    public WebApplicationFactory<Program> Service => instances[0];

    public static async Task<TimeTravel> StartAsync(params (string Key, string Value)[] settings)
    {
        var database = TestRun.Database;
        var connectionString = await database.CreateDatabaseAsync("time_" + Guid.NewGuid().ToString("N")[..12]);
        var travel = new TimeTravel(connectionString);
        travel.instances.Add(Configured(new ServiceFactory(database, connectionString, migrate: true, clock: travel.Clock), settings));
        travel.Service.CreateClient().Dispose(); // starts it: it migrates the new database
        return travel;
    }

    /// <summary>Another instance on the same database, on this clock unless given its own.</summary>
    public WebApplicationFactory<Program> Instance(TimeProvider? clock = null, params (string Key, string Value)[] settings)
    {
        var instance = Configured(new ServiceFactory(TestRun.Database, ConnectionString, migrate: false, clock: clock ?? Clock), settings);
        instances.Add(instance);
        return instance;
    }

    /// <summary>
    /// Another instance on the same database on the service's own clock (Clock:Offset, Clock:AllowOffset), with its
    /// runner on unless the settings say otherwise.
    /// </summary>
    public WebApplicationFactory<Program> InstanceOnServiceClock(params (string Key, string Value)[] settings)
    {
        var instance = Configured(new ServiceFactory(TestRun.Database, ConnectionString, migrate: false), [("Jobs:Enabled", "true"), .. settings]);
        instances.Add(instance);
        return instance;
    }

    /// <summary>A connection to this database, opened (for tests that read or tamper with it directly).</summary>
    public Task<DbConnection> OpenAsync() => TestRun.Database.OpenAsync(ConnectionString);

    /// <summary>One of two statements, in this run's engine's dialect, on this database: the rows it changed.</summary>
    public async Task<int> ExecuteAsync(string postgres, string sqlServer, object? parameters = null)
    {
        await using var connection = await OpenAsync();
        return await connection.ExecuteAsync(TestRun.Database.IsPostgres ? postgres : sqlServer, parameters);
    }

    /// <summary>One of two queries, in this run's engine's dialect, on this database: its one value.</summary>
    public async Task<T> ScalarAsync<T>(string postgres, string sqlServer, object? parameters = null)
    {
        await using var connection = await OpenAsync();
        return await connection.ExecuteScalarAsync<T>(TestRun.Database.IsPostgres ? postgres : sqlServer, parameters)
            ?? throw new InvalidOperationException("no value");
    }

    /// <summary>A caller of the first instance.</summary>
    public Caller As(string token) => Service.As(token);

    /// <summary>One pass of every kind of due work on the first instance, at its clock's time; asserts no kind failed.</summary>
    public async Task<JobPass> RunPassAsync()
    {
        using var admin = As(Tokens.Admin);
        return (await admin.Jobs.RunAsync().Ok()).Succeeded();
    }

    // The test's settings come last: they win over the runner being off.
    private static WebApplicationFactory<Program> Configured(ServiceFactory factory, (string Key, string Value)[] settings) =>
        factory.WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings.Prepend(("Jobs:Enabled", "false")))
            {
                builder.UseSetting(key, value);
            }
        });

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in instances)
        {
            await instance.DisposeAsync();
        }
    }
}
