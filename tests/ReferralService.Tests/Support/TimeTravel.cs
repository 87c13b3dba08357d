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
/// clock: several runners on one database.
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

    /// <summary>A caller of the first instance.</summary>
    public Caller As(string token) => Service.As(token);

    private static WebApplicationFactory<Program> Configured(ServiceFactory factory, (string Key, string Value)[] settings) =>
        settings.Length == 0
            ? factory
            : factory.WithWebHostBuilder(builder =>
            {
                foreach (var (key, value) in settings)
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
