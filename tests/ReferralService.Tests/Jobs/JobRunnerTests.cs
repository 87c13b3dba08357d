using System.Net;
using System.Text.Json;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Jobs;

internal sealed class JobRunnerTests
{
    [Test]
    public async Task Only_an_admin_may_run_the_jobs()
    {
        using var merchant = Api.Merchant();
        using var finance = Api.Finance();

        await merchant.Jobs.RunAsync().Refused(HttpStatusCode.Forbidden, "forbidden");
        await finance.Jobs.RunAsync().Refused(HttpStatusCode.Forbidden, "forbidden");
    }

    [TestCase("Jobs:IntervalSeconds", "0")]
    [TestCase("Jobs:BatchSize", "0")]
    [TestCase("Jobs:BatchSize", "100001")]
    public void Runner_settings_out_of_range_stop_start_up(string key, string value)
    {
        var reason = StartupFailure.Of((key, value));

        Assert.That(reason, Does.Contain(key.Split(':')[1]));
    }

    [Test]
    public async Task A_pass_purges_keys_older_than_the_retention_in_real_time_whatever_the_services_clock_says()
    {
        await using var travel = await TimeTravel.StartAsync();
        using var admin = travel.As(Tokens.Admin);
        var key = $"key-{Guid.NewGuid():N}";
        var program = new NewProgram("Keys", "USD", 2000, 1000, 0);
        var first = await admin.Programs.CreateProgramAsync(program, idempotencyKey: key).Created();
        Task<long> KeysAsync() => travel.ScalarAsync<long>(
            "SELECT count(*) FROM idempotency_keys WHERE key = @key", "SELECT COUNT_BIG(*) FROM dbo.idempotency_keys WHERE [key] = @key", new { key });

        // A clock moved days ahead (staging's Clock:Offset) must not forget a key stored a moment ago.
        travel.Clock.Advance(TimeSpan.FromDays(3));
        var shifted = (await travel.RunPassAsync())[JobKinds.PurgeIdempotencyKeys];
        Assert.That(shifted.Done, Is.Zero, "a key stored a moment ago was purged on a shifted clock");
        Assert.That((await admin.Programs.CreateProgramAsync(program, idempotencyKey: key).Created()).Id, Is.EqualTo(first.Id), "replayed");

        // The database stamps keys with its clock: 23 hours old is kept, 25 hours old is purged.
        await travel.ExecuteAsync(
            "UPDATE idempotency_keys SET created_at = now() - interval '23 hours' WHERE key = @key",
            "UPDATE dbo.idempotency_keys SET created_at = DATEADD(HOUR, -23, SYSDATETIMEOFFSET()) WHERE [key] = @key", new { key });
        Assert.That((await travel.RunPassAsync())[JobKinds.PurgeIdempotencyKeys].Done, Is.Zero, "a key younger than 24 h was purged");
        Assert.That(await KeysAsync(), Is.EqualTo(1));

        await travel.ExecuteAsync(
            "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = @key",
            "UPDATE dbo.idempotency_keys SET created_at = DATEADD(HOUR, -25, SYSDATETIMEOFFSET()) WHERE [key] = @key", new { key });
        var late = (await travel.RunPassAsync())[JobKinds.PurgeIdempotencyKeys];

        Assert.That(late.Done, Is.EqualTo(1));
        Assert.That(late.LagSeconds, Is.Null, "keys are not owed at a due time");
        Assert.That(await KeysAsync(), Is.Zero);
        Assert.That((await admin.Programs.CreateProgramAsync(program, idempotencyKey: key).Created()).Id, Is.Not.EqualTo(first.Id),
            "the purged key is free again");
    }

    [Test]
    public async Task Health_ready_shows_what_each_kind_of_job_did_in_its_last_run_and_its_lag()
    {
        await using var travel = await TimeTravel.StartAsync();
        using var anonymous = travel.Service.Client(token: null);

        var before = await ReadyAsync(anonymous);
        Assert.That(before.GetProperty("data").GetProperty("enabled").GetBoolean(), Is.False, "TimeTravel turns the runner off");
        Assert.That(before.GetProperty("data").TryGetProperty(JobKinds.PurgeIdempotencyKeys, out _), Is.False, "no run yet");

        using var admin = travel.As(Tokens.Admin);
        await admin.Programs.CreateProgramAsync(new NewProgram("Keys", "USD", 2000, 1000, 0), idempotencyKey: "health-key").Created();
        await travel.ExecuteAsync( // a day and more old: the purge's retention is real time, on the database's stamps
            "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'health-key'",
            "UPDATE dbo.idempotency_keys SET created_at = DATEADD(HOUR, -25, SYSDATETIMEOFFSET()) WHERE [key] = N'health-key'");
        travel.Clock.Advance(TimeSpan.FromDays(2));
        var pass = await travel.RunPassAsync();
        var after = await ReadyAsync(anonymous);

        var purge = after.GetProperty("data").GetProperty(JobKinds.PurgeIdempotencyKeys);
        Assert.That(purge.GetProperty("done").GetInt32(), Is.EqualTo(1));
        Assert.That(purge.GetProperty("failed").GetBoolean(), Is.False);
        Assert.That(purge.GetProperty("at").GetDateTimeOffset(), Is.EqualTo(pass[JobKinds.PurgeIdempotencyKeys].FinishedAt));
        foreach (var kind in new[] { JobKinds.PostHeldRewards, JobKinds.ExpireRedemptions, JobKinds.ExpireCreditLots })
        {
            var run = after.GetProperty("data").GetProperty(kind);
            Assert.That(run.GetProperty("done").GetInt32(), Is.Zero, kind);
            Assert.That(run.GetProperty("lagSeconds").GetDouble(), Is.Zero, $"{kind}: nothing is due");
        }
        Assert.That(after.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
    }

    /// <summary>The jobs entry of /health/ready (asserting 200).</summary>
    internal static async Task<JsonElement> ReadyAsync(HttpClient anonymous)
    {
        var body = await (await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative))).ExpectAsync(HttpStatusCode.OK);
        return body.GetProperty("checks").GetProperty("jobs");
    }
}
