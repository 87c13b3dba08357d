using ReferralService.Tests.Support;

namespace ReferralService.Tests;

/// <summary>Owns the database and the service for the whole run; tests share them, never their data.</summary>
[SetUpFixture]
public sealed class TestRun
{
    internal static TestDatabase Database { get; private set; } = null!;

    internal static ServiceFactory Service { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Database = await TestDatabase.StartAsync();
        Service = new ServiceFactory(Database);
        Service.CreateClient().Dispose(); // starts the host, which migrates the database
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }
}
