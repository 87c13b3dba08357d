using ReferralService.Tests.Support;

namespace ReferralService.Tests.Jobs;

internal sealed class ClockTests
{
    [Test]
    public void An_offset_without_allow_offset_stops_start_up()
    {
        var reason = StartupFailure.Of(("Clock:Offset", "3.00:00:00"));

        Assert.That(reason, Does.Contain("Clock:Offset is 3.00:00:00").And.Contain("Clock:AllowOffset is not true"));
    }

    [Test]
    public void An_offset_with_allow_offset_false_stops_start_up()
    {
        var reason = StartupFailure.Of(("Clock:Offset", "-01:00:00"), ("Clock:AllowOffset", "false"));

        Assert.That(reason, Does.Contain("Clock:AllowOffset is not true"));
    }

    [Test]
    public async Task An_instance_started_with_an_allowed_offset_does_at_start_what_is_due_at_its_shifted_time()
    {
        await using var travel = await TimeTravel.StartAsync();
        using var admin = travel.As(Tokens.Admin);
        var key = $"key-{Guid.NewGuid():N}";
        await admin.Programs.CreateProgramAsync(new NewProgram("Keys", "USD", 2000, 1000, 0), idempotencyKey: key).Created();
        Task<long> KeysAsync() => travel.ScalarAsync<long>(
            "SELECT count(*) FROM idempotency_keys WHERE key = @key", "SELECT COUNT_BIG(*) FROM dbo.idempotency_keys WHERE [key] = @key", new { key });
        Assert.That(await KeysAsync(), Is.EqualTo(1));

        // Three days ahead, the key written now is older than its 24 h: the shifted instance's first pass purges it.
        var shifted = travel.InstanceOnServiceClock(("Clock:Offset", "3.00:00:00"), ("Clock:AllowOffset", "true"));
        using var anonymous = shifted.Client(token: null);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await KeysAsync() > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.That(await KeysAsync(), Is.Zero, "the shifted instance's start-up pass did not purge the key");
        var jobs = await JobRunnerTests.ReadyAsync(anonymous);
        Assert.That(jobs.GetProperty("data").GetProperty("enabled").GetBoolean(), Is.True);
        var purged = jobs.GetProperty("data").GetProperty(JobKinds.PurgeIdempotencyKeys);
        Assert.That(purged.GetProperty("at").GetDateTimeOffset(), Is.EqualTo(DateTimeOffset.UtcNow.AddDays(3)).Within(TimeSpan.FromMinutes(1)),
            "the runner's time is the shifted clock's");
    }
}
