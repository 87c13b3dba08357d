using Dapper;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Jobs;

/// <summary>Several runners on one database: each item once, in the transaction of its effect; a killed runner leaves nothing half-done.</summary>
internal sealed class RunnerConcurrencyTests
{
    [Test]
    public async Task Two_runners_at_once_post_each_held_reward_and_expire_each_lot_exactly_once()
    {
        const int Referrers = 25, FriendsEach = 40, Redemptions = Referrers * FriendsEach;
        await using var travel = await TimeTravel.StartAsync(("Jobs:BatchSize", "25"));
        var other = travel.Instance(settings: ("Jobs:BatchSize", "25"));
        var program = await DueWork.QualifiedAsync(travel, Referrers, FriendsEach, holdDays: 2, creditExpiryDays: 10);
        using var one = travel.As(Tokens.Admin);
        using var two = other.As(Tokens.Admin);

        travel.Clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        var posted = await Task.WhenAll(one.Jobs.RunAsync().Ok(), two.Jobs.RunAsync().Ok());
        await TestContext.Out.WriteLineAsync($"held rewards posted by each runner: {string.Join(", ", posted.Select(p => p[JobKinds.PostHeldRewards].Done))}");

        Assert.That(posted.Select(p => p.Succeeded()[JobKinds.PostHeldRewards].Done).Sum(), Is.EqualTo(Redemptions),
            $"posted by each runner: {string.Join(", ", posted.Select(p => p[JobKinds.PostHeldRewards].Done))}");
        Assert.That(await travel.ScalarAsync<long>(
            "SELECT count(*) FROM redemptions WHERE program_id = @program AND status = 'rewarded'",
            "SELECT COUNT_BIG(*) FROM dbo.redemptions WHERE program_id = @program AND status = 'rewarded'", new { program }), Is.EqualTo(Redemptions));
        Assert.That(await travel.ScalarAsync<long>("SELECT count(*) FROM credit_holds", "SELECT COUNT_BIG(*) FROM dbo.credit_holds"), Is.Zero);
        Assert.That(await PostsAsync(travel), Is.EqualTo(2 * Redemptions), "one post per leg");
        Assert.That(await LotsAsync(travel), Is.EqualTo(2 * Redemptions), "one lot per posted leg");
        await AssertLedgerSoundAsync(travel);

        travel.Clock.Advance(TimeSpan.FromDays(10));
        var expired = await Task.WhenAll(one.Jobs.RunAsync().Ok(), two.Jobs.RunAsync().Ok());
        await TestContext.Out.WriteLineAsync($"lots expired by each runner: {string.Join(", ", expired.Select(p => p[JobKinds.ExpireCreditLots].Done))}");

        Assert.That(expired.Select(p => p.Succeeded()[JobKinds.ExpireCreditLots].Done).Sum(), Is.EqualTo(2 * Redemptions),
            $"expired by each runner: {string.Join(", ", expired.Select(p => p[JobKinds.ExpireCreditLots].Done))}");
        Assert.That(await ExpiriesAsync(travel), Is.EqualTo((2L * Redemptions, 2L * Redemptions, 2L * Redemptions)),
            "one expiry transfer, one expiry movement per lot, every lot once");
        Assert.That(await travel.ScalarAsync<long>("SELECT count(*) FROM credit_lots WHERE remaining > 0",
            "SELECT COUNT_BIG(*) FROM dbo.credit_lots WHERE remaining > 0"), Is.Zero);
        await AssertLedgerSoundAsync(travel);

        var again = (await one.Jobs.RunAsync().Ok()).Succeeded();
        // (A runner's lag may show the other's items in flight when it finished; once both are done nothing is due.)
        Assert.That(again.Kinds.Where(k => k.Kind != JobKinds.PurgeIdempotencyKeys).Select(k => (k.Done, k.LagSeconds)),
            Is.All.EqualTo((0, (double?)0)), "nothing done twice, nothing left due");
    }

    [Test]
    public async Task A_runner_killed_mid_batch_leaves_nothing_half_done_and_the_next_call_does_the_rest_once()
    {
        if (!TestRun.Database.IsPostgres)
        {
            Assert.Ignore("Finds and terminates the runner's backend through pg_stat_activity.");
        }
        const int Redemptions = 150;
        await using var travel = await TimeTravel.StartAsync(("Jobs:BatchSize", "5000"));
        await DueWork.QualifiedAsync(travel, referrers: 10, friendsEach: Redemptions / 10, holdDays: null, creditExpiryDays: 5);
        var database = new Npgsql.NpgsqlConnectionStringBuilder(travel.ConnectionString).Database ?? throw new InvalidOperationException("no database name");
        travel.Clock.Advance(TimeSpan.FromDays(5) + TimeSpan.FromMinutes(1));

        // The last account the runner takes (it goes in account order) has one lot held by this transaction: the runner
        // expires every other account's lots in its one transaction and then waits, mid-batch, on that lot.
        await using var holder = await travel.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        var held = await holder.ExecuteScalarAsync<long>(
            "SELECT id FROM credit_lots WHERE remaining > 0 ORDER BY account_id DESC, id LIMIT 1 FOR UPDATE", transaction: hold);

        using var admin = travel.As(Tokens.Admin);
        var pass = admin.Jobs.RunAsync();
        var first = await WaitingRunnerAsync(travel, database, except: null);
        Assert.That(await travel.ScalarAsync<bool>("SELECT pg_terminate_backend(@first)", "", new { first }), Is.True);

        // The data layer sends the call again (a repeat of a job call is safe): it waits on the same lot, in a new
        // transaction. What the killed one did is gone, not half-kept.
        var second = await WaitingRunnerAsync(travel, database, except: first);
        Assert.That(second, Is.Not.EqualTo(first));
        Assert.That(await ExpiriesAsync(travel), Is.EqualTo((0L, 0L, 0L)), "the killed transaction left expiries behind");
        Assert.That(await travel.ScalarAsync<long>("SELECT count(*) FROM credit_lots WHERE remaining < granted",
            ""), Is.Zero, "a lot was left taken");
        await AssertLedgerSoundAsync(travel);

        await hold.CommitAsync();
        var run = (await pass.Ok()).Succeeded()[JobKinds.ExpireCreditLots];
        var next = (await admin.Jobs.RunAsync().Ok()).Succeeded()[JobKinds.ExpireCreditLots];

        Assert.That((run.Done, next.Done), Is.EqualTo((2 * Redemptions, 0)));
        Assert.That(await ExpiriesAsync(travel), Is.EqualTo((2L * Redemptions, 2L * Redemptions, 2L * Redemptions)));
        Assert.That(held, Is.Positive);
        await AssertLedgerSoundAsync(travel);
    }

    [Test]
    public async Task A_busy_account_is_skipped_shown_as_lag_in_health_and_expired_by_the_next_pass()
    {
        await using var travel = await TimeTravel.StartAsync();
        await DueWork.QualifiedAsync(travel, referrers: 2, friendsEach: 3, holdDays: null, creditExpiryDays: 1);
        travel.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(1));

        await using (var holder = await travel.OpenAsync())
        await using (var hold = await holder.BeginTransactionAsync())
        {
            // A spend, say, holds one referrer's account (3 lots): the runner skips it rather than wait.
            var busy = await holder.ExecuteScalarAsync<long>(
                TestRun.Database.IsPostgres
                    ? "SELECT id FROM accounts WHERE id = (SELECT account_id FROM credit_lots GROUP BY account_id HAVING count(*) = 3 ORDER BY account_id LIMIT 1) FOR UPDATE"
                    : "SELECT id FROM dbo.accounts WITH (UPDLOCK, ROWLOCK) WHERE id = (SELECT TOP (1) account_id FROM dbo.credit_lots GROUP BY account_id HAVING COUNT(*) = 3 ORDER BY account_id)",
                transaction: hold);
            Assert.That(busy, Is.Positive);

            var skipped = (await travel.RunPassAsync())[JobKinds.ExpireCreditLots];

            Assert.That(skipped.Done, Is.EqualTo(12 - 3), "6 friends' lots and the other referrer's 3");
            Assert.That(skipped.LagSeconds, Is.EqualTo(TimeSpan.FromHours(1).TotalSeconds).Within(120), "the busy account's lots are an hour overdue");
            using var anonymous = travel.Service.Client(token: null);
            var health = (await JobRunnerTests.ReadyAsync(anonymous)).GetProperty("data").GetProperty(JobKinds.ExpireCreditLots);
            Assert.That(health.GetProperty("done").GetInt32(), Is.EqualTo(9));
            Assert.That(health.GetProperty("lagSeconds").GetDouble(), Is.GreaterThan(3000));
            await hold.RollbackAsync();
        }

        var rest = (await travel.RunPassAsync())[JobKinds.ExpireCreditLots];

        Assert.That((rest.Done, rest.LagSeconds), Is.EqualTo((3, 0.0)));
        await AssertLedgerSoundAsync(travel);
    }

    private static Task<long> PostsAsync(TimeTravel travel) => travel.ScalarAsync<long>(
        "SELECT count(*) FROM transfers WHERE phase = 'post'", "SELECT COUNT_BIG(*) FROM dbo.transfers WHERE phase = 'post'");

    private static Task<long> LotsAsync(TimeTravel travel) => travel.ScalarAsync<long>(
        "SELECT count(*) FROM credit_lots", "SELECT COUNT_BIG(*) FROM dbo.credit_lots");

    /// <summary>Expiry transfers, expiry movements, and the lots with an expiry movement.</summary>
    private static async Task<(long Transfers, long Movements, long Lots)> ExpiriesAsync(TimeTravel travel)
    {
        await using var connection = await travel.OpenAsync();
        return await connection.QuerySingleAsync<(long, long, long)>(TestRun.Database.IsPostgres
            ? "SELECT (SELECT count(*) FROM transfers WHERE kind = 'expiry'), (SELECT count(*) FROM lot_movements WHERE kind = 'expiry'), " +
              "(SELECT count(DISTINCT lot_id) FROM lot_movements WHERE kind = 'expiry')"
            : "SELECT (SELECT COUNT_BIG(*) FROM dbo.transfers WHERE kind = 'expiry'), (SELECT COUNT_BIG(*) FROM dbo.lot_movements WHERE kind = 'expiry'), " +
              "(SELECT COUNT_BIG(DISTINCT lot_id) FROM dbo.lot_movements WHERE kind = 'expiry')");
    }

    /// <summary>The backend of a runner's call that waits on a lock in this database (not <paramref name="except"/>).</summary>
    private static async Task<int> WaitingRunnerAsync(TimeTravel travel, string database, int? except)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            await using var connection = await travel.OpenAsync();
            var pid = await connection.ExecuteScalarAsync<int?>(
                "SELECT pid FROM pg_stat_activity WHERE datname = @database AND wait_event_type = 'Lock' " +
                "AND query LIKE '%expire_credit_lots%' AND pid <> COALESCE(@except, 0) LIMIT 1", new { database, except });
            if (pid is { } found)
            {
                return found;
            }
            await Task.Delay(20);
        }
        Assert.Fail("No runner waited on the held lot.");
        return 0;
    }

    private static async Task AssertLedgerSoundAsync(TimeTravel travel)
    {
        using var finance = travel.As(Tokens.Finance);
        var check = await finance.Reports.LedgerCheckAsync().Ok();
        Assert.That(check.Ok, Is.True, string.Join("\n", check.Violations));
        var trial = await finance.Reports.TrialBalanceAsync().Ok();
        Assert.That(trial.Balanced, Is.True, string.Join("\n", trial.Currencies));
    }
}
