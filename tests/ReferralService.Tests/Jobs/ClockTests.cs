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
    public async Task An_instance_started_with_an_allowed_offset_runs_its_jobs_on_the_shifted_clock_and_keeps_fresh_idempotency_keys()
    {
        await using var travel = await TimeTravel.StartAsync();
        using var admin = travel.As(Tokens.Admin);
        var key = $"key-{Guid.NewGuid():N}";
        await admin.Programs.CreateProgramAsync(new NewProgram("Keys", "USD", 2000, 1000, 0), idempotencyKey: key).Created();
        Task<long> KeysAsync() => travel.ScalarAsync<long>(
            "SELECT count(*) FROM idempotency_keys WHERE key = @key", "SELECT COUNT_BIG(*) FROM dbo.idempotency_keys WHERE [key] = @key", new { key });

        // Three days ahead, the shifted instance's start-up pass runs at its own time; a key's retention is real time
        // (the database stamps keys), so the key stored a moment ago stays and still replays.
        var shifted = travel.InstanceOnServiceClock(("Clock:Offset", "3.00:00:00"), ("Clock:AllowOffset", "true"));
        using var anonymous = shifted.Client(token: null);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var jobs = await JobRunnerTests.ReadyAsync(anonymous);
        while (!jobs.GetProperty("data").TryGetProperty(JobKinds.PurgeIdempotencyKeys, out _) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            jobs = await JobRunnerTests.ReadyAsync(anonymous);
        }

        Assert.That(jobs.GetProperty("data").GetProperty("enabled").GetBoolean(), Is.True);
        var purged = jobs.GetProperty("data").GetProperty(JobKinds.PurgeIdempotencyKeys);
        Assert.That(purged.GetProperty("at").GetDateTimeOffset(), Is.EqualTo(DateTimeOffset.UtcNow.AddDays(3)).Within(TimeSpan.FromMinutes(1)),
            "the runner's time is the shifted clock's");
        Assert.That(purged.GetProperty("done").GetInt32(), Is.Zero);
        Assert.That(await KeysAsync(), Is.EqualTo(1), "a shifted clock purged a key stored a moment ago");
    }

    [Test]
    public async Task Restarting_with_an_allowed_offset_ends_holds_expires_stale_redemptions_and_expires_lots_to_breakage_at_start()
    {
        await using var travel = await TimeTravel.StartAsync();
        using var admin = travel.As(Tokens.Admin);
        using var merchant = travel.As(Tokens.Merchant);
        var held = await DueWork.QualifiedAsync(travel, referrers: 1, friendsEach: 2, holdDays: 2, creditExpiryDays: null);
        var expiring = await DueWork.QualifiedAsync(travel, referrers: 1, friendsEach: 2, holdDays: null, creditExpiryDays: 2);
        var stale = (await admin.Programs.CreateProgramAsync(new NewProgram("Stale", "USD", 2000, 1000, 0, QualifyWithinDays: 1)).Created()).Id;
        var code = (await merchant.Codes.GetOrCreateCodeAsync(stale, Api.NewCustomerId("stale-ref")).Created()).Code;
        var pending = await merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId("stale-friend")).Created();
        Task<long> CountAsync(string postgres, string sqlServer, object parameters) => travel.ScalarAsync<long>(postgres, sqlServer, parameters);
        Task<long> HeldAsync() => CountAsync("SELECT count(*) FROM redemptions WHERE program_id = @held AND status = 'held'",
            "SELECT COUNT_BIG(*) FROM dbo.redemptions WHERE program_id = @held AND status = 'held'", new { held });
        Task<long> LiveLotsAsync() => CountAsync("SELECT count(*) FROM credit_lots WHERE program_id = @expiring AND remaining > 0",
            "SELECT COUNT_BIG(*) FROM dbo.credit_lots WHERE program_id = @expiring AND remaining > 0", new { expiring });
        Assert.That((await HeldAsync(), await LiveLotsAsync()), Is.EqualTo((2L, 4L)));

        // Three days ahead: both holds ended, the deadline passed, the lots expired. The shifted instance's first pass does it.
        var shifted = travel.InstanceOnServiceClock(("Clock:Offset", "3.00:00:00"), ("Clock:AllowOffset", "true"));
        using var shiftedMerchant = shifted.As(Tokens.Merchant);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await HeldAsync() > 0 || await LiveLotsAsync() > 0
                || (await shiftedMerchant.Redemptions.GetRedemptionAsync(pending.Id).Ok()).Status != "expired")
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.That(await HeldAsync(), Is.Zero, "a held reward whose hold ended did not post");
        Assert.That(await LiveLotsAsync(), Is.Zero, "a lot past its expiry was not expired");
        Assert.That((await shiftedMerchant.Redemptions.GetRedemptionAsync(pending.Id).Ok()).Status, Is.EqualTo("expired"));
        Assert.That(await CountAsync(
            "SELECT COALESCE(sum(t.amount), 0) FROM transfers t JOIN accounts b ON b.id = t.credit_account_id WHERE t.kind = 'expiry' AND b.kind = 'breakage' AND b.owner_id = @owner",
            "SELECT COALESCE(SUM(t.amount), 0) FROM dbo.transfers t JOIN dbo.accounts b ON b.id = t.credit_account_id WHERE t.kind = 'expiry' AND b.kind = 'breakage' AND b.owner_id = @owner",
            new { owner = expiring.ToString() }), Is.EqualTo(2 * (2000 + 1000)), "the expired credit is the program's breakage");
        using var finance = travel.As(Tokens.Finance);
        var check = await finance.Reports.LedgerCheckAsync().Ok();
        Assert.That(check.Ok, Is.True, string.Join("\n", check.Violations));
    }
}
