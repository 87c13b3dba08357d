using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ReferralService.Tests.Support;

/// <summary>The service in-process, on the test database, with the test signing key.</summary>
/// <param name="migrate">Whether the instance migrates its database at start (by default only the run's main instance does).</param>
/// <param name="clock">The clock the instance runs on (Support/TimeTravel); the machine's clock by default.</param>
internal sealed class ServiceFactory(TestDatabase database, string? connectionString = null, bool? migrate = null, TimeProvider? clock = null)
    : WebApplicationFactory<Program>
{
    private static readonly Lock HostCreation = new();

    /// <summary>
    /// One host built and started at a time: a minimal-API host is caught while Program.Main builds it, through a
    /// diagnostic listener every factory in the process hears, and parallel start-ups are a known source of crossed or
    /// failed hosts in test suites. A precaution: the start-up failures seen here were a different race (StartupFailure).
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        lock (HostCreation)
        {
            return base.CreateHost(builder);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Referral", connectionString ?? database.ConnectionString);
        // A second instance (for fault tests) finds the database already migrated.
        builder.UseSetting("Database:MigrateOnStartup", (migrate ?? connectionString is null) ? "true" : "false");
        builder.UseSetting("Database:Provider", database.Provider);
        builder.UseSetting("Database:CommandTimeoutSeconds", "30");
        builder.UseSetting("Authentication:Schemes:Bearer:ValidIssuer", Tokens.Issuer);
        builder.UseSetting("Authentication:Schemes:Bearer:ValidAudiences:0", Tokens.Audience);
        builder.UseSetting("Authentication:Schemes:Bearer:SigningKeys:0:Issuer", Tokens.Issuer);
        builder.UseSetting("Authentication:Schemes:Bearer:SigningKeys:0:Value", Convert.ToBase64String(Tokens.Key));
        builder.UseSetting("RateLimits:CodeValidationsPerMinute", "1000000");
        builder.UseSetting("RateLimits:FailedCodeLookupsPerMinute", "1000000");
        // The purge keeps its 24 h retention but runs every second, so a test can watch it work. The runner's other
        // kinds run at start and then hourly: a test drives due work through POST /v1/jobs/run, never by waiting.
        builder.UseSetting("Idempotency:PurgeIntervalSeconds", "1");
        builder.UseSetting("Jobs:IntervalSeconds", "3600");
        // An instance generates the batches posted to it and those it finds at start-up, and does not scan again
        // during a run: a test decides which instance resumes a batch (Batches/BatchResumeTests).
        builder.UseSetting("Batches:ScanIntervalSeconds", "3600");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        if (clock is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
    }
}
