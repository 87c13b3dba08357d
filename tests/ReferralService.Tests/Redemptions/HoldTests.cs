using ReferralService.Tests.Support;

namespace ReferralService.Tests.Redemptions;

/// <summary>holdDays: a qualified redemption's rewards stay pending until the hold ends, then the job runner posts them.</summary>
internal sealed class HoldTests
{
    private static NewProgram HoldProgram(int holdDays, int? creditExpiryDays = null) =>
        new("Held rewards", "USD", ReferrerReward: 2000, RefereeReward: 1000, MinimumOrderAmount: 0, HoldDays: holdDays,
            CreditExpiryDays: creditExpiryDays);

    /// <summary>(available, pending, availableAt).</summary>
    private static (long, long, DateTimeOffset?) Amounts(Balance balance) => (balance.Available, balance.Pending, balance.AvailableAt);

    [Test]
    public async Task A_held_reward_is_pending_until_the_hold_ends_then_the_runner_posts_it_and_it_can_be_spent()
    {
        await using var travel = await TimeTravel.StartAsync();
        var (_, alice, code) = await travel.ReferralAsync(HoldProgram(holdDays: 14));
        var bob = Api.NewCustomerId("bob");
        using var merchant = travel.As(Tokens.Merchant);
        var redeemed = await merchant.Redemptions.RedeemAsync(code, bob).Created();

        var held = await merchant.Redemptions.QualifyAsync(redeemed.Id, "first-order", 5000).Ok();
        Assert.That(held.Status, Is.EqualTo("held"));
        Assert.That(held.QualifiedAt, Is.Not.Null);
        Assert.That(held.AvailableAt, Is.EqualTo(held.QualifiedAt!.Value.AddDays(14)));
        Assert.That(held.Rewards.Select(r => (r.CustomerId, r.Amount, r.Status)),
            Is.EquivalentTo(new[] { (alice, 2000L, "pending"), (bob, 1000L, "pending") }));
        Assert.That(Amounts(await travel.BalanceAsync(alice)), Is.EqualTo((0L, 2000L, held.AvailableAt)));
        Assert.That(Amounts(await travel.BalanceAsync(bob)), Is.EqualTo((0L, 1000L, held.AvailableAt)));
        await merchant.Credits.SpendAsync(alice, 1, "during-the-hold").RefusedAsync("insufficient_credit");

        // The same order again is a retry; another order is not a second qualification.
        var retried = await merchant.Redemptions.QualifyAsync(redeemed.Id, "first-order", 5000).Ok();
        Assert.That((retried.Status, retried.QualifiedAt, retried.AvailableAt), Is.EqualTo((held.Status, held.QualifiedAt, held.AvailableAt)));
        await merchant.Redemptions.QualifyAsync(redeemed.Id, "second-order", 5000).RefusedAsync("invalid_state");

        // A day before the hold ends, nothing is due.
        travel.Clock.Advance(TimeSpan.FromDays(13));
        Assert.That(await travel.RunRedemptionJobsAsync(), Is.EqualTo((0, 0)));
        Assert.That((await travel.RedemptionAsync(redeemed.Id)).Status, Is.EqualTo("held"));
        Assert.That((await travel.BalanceAsync(alice)).Available, Is.Zero);

        travel.Clock.Advance(TimeSpan.FromDays(1));
        Assert.That(await travel.RunRedemptionJobsAsync(), Is.EqualTo((1, 0)));
        Assert.That(await travel.RunRedemptionJobsAsync(), Is.EqualTo((0, 0)), "each held redemption posts once");

        var rewarded = await travel.RedemptionAsync(redeemed.Id);
        Assert.That(rewarded.Status, Is.EqualTo("rewarded"));
        Assert.That(rewarded.Rewards.Select(r => r.Status), Is.All.EqualTo("posted"));
        Assert.That(rewarded.AvailableAt, Is.EqualTo(held.AvailableAt));
        Assert.That(Amounts(await travel.BalanceAsync(alice)), Is.EqualTo((2000L, 0L, (DateTimeOffset?)null)));
        Assert.That(Amounts(await travel.BalanceAsync(bob)), Is.EqualTo((1000L, 0L, (DateTimeOffset?)null)));
        var spend = await merchant.Credits.SpendAsync(alice, 1500, "after-the-hold").Created();
        Assert.That(spend.BalanceAfter, Is.EqualTo(500));
        await travel.AssertLedgerSoundAsync();
    }

    [Test]
    public async Task Reversing_during_the_hold_voids_the_rewards_and_nothing_posts_when_it_would_have_ended()
    {
        await using var travel = await TimeTravel.StartAsync();
        var (_, alice, code) = await travel.ReferralAsync(HoldProgram(holdDays: 7));
        var bob = Api.NewCustomerId("bob");
        using var merchant = travel.As(Tokens.Merchant);
        var redeemed = await merchant.Redemptions.RedeemAsync(code, bob).Created();
        await merchant.Redemptions.QualifyAsync(redeemed.Id, "first-order", 5000).Ok();
        travel.Clock.Advance(TimeSpan.FromDays(3));

        var reversed = await merchant.Redemptions.ReverseAsync(redeemed.Id, "refunded within the hold").Ok();
        Assert.That(reversed.Status, Is.EqualTo("reversed"));
        Assert.That(reversed.Rewards.Select(r => (r.Status, r.Shortfall)), Is.All.EqualTo(("voided", (long?)null)));
        Assert.That(Amounts(await travel.BalanceAsync(alice)), Is.EqualTo((0L, 0L, (DateTimeOffset?)null)));
        Assert.That(Amounts(await travel.BalanceAsync(bob)), Is.EqualTo((0L, 0L, (DateTimeOffset?)null)));

        travel.Clock.Advance(TimeSpan.FromDays(5));
        Assert.That(await travel.RunRedemptionJobsAsync(), Is.EqualTo((0, 0)));
        Assert.That((await travel.RedemptionAsync(redeemed.Id)).Status, Is.EqualTo("reversed"));
        Assert.That(Amounts(await travel.BalanceAsync(alice)), Is.EqualTo((0L, 0L, (DateTimeOffset?)null)));
        await merchant.Redemptions.ReverseAsync(redeemed.Id, "again").RefusedAsync("invalid_state");
        await travel.AssertLedgerSoundAsync();
    }

    [Test]
    public async Task A_held_redemption_reversed_after_its_hold_ended_but_before_the_runner_posted_it_is_voided()
    {
        await using var travel = await TimeTravel.StartAsync();
        var (_, alice, code) = await travel.ReferralAsync(HoldProgram(holdDays: 1));
        using var merchant = travel.As(Tokens.Merchant);
        var redeemed = await merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId("bob")).Created();
        await merchant.Redemptions.QualifyAsync(redeemed.Id, "first-order", 5000).Ok();
        travel.Clock.Advance(TimeSpan.FromDays(2));

        var reversed = await merchant.Redemptions.ReverseAsync(redeemed.Id, "refunded").Ok();
        Assert.That(reversed.Rewards.Select(r => (r.Status, r.Shortfall)), Is.All.EqualTo(("voided", (long?)null)));
        Assert.That(await travel.RunRedemptionJobsAsync(), Is.EqualTo((0, 0)));
        Assert.That(Amounts(await travel.BalanceAsync(alice)), Is.EqualTo((0L, 0L, (DateTimeOffset?)null)));
        await travel.AssertLedgerSoundAsync();
    }

    [Test]
    public async Task Held_credit_that_posts_late_expires_credit_expiry_days_after_it_posted()
    {
        await using var travel = await TimeTravel.StartAsync();
        var (_, alice, code) = await travel.ReferralAsync(HoldProgram(holdDays: 2, creditExpiryDays: 30));
        using var merchant = travel.As(Tokens.Merchant);
        var redeemed = await merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId("bob")).Created();
        await merchant.Redemptions.QualifyAsync(redeemed.Id, "first-order", 5000).Ok();

        // The runner was off for a day after the hold ended: the credit still gets its 30 days from when it posted.
        travel.Clock.Advance(TimeSpan.FromDays(3));
        var postedAt = travel.Clock.GetUtcNow();
        Assert.That(await travel.RunRedemptionJobsAsync(), Is.EqualTo((1, 0)));
        var balance = await travel.BalanceAsync(alice);
        Assert.That((balance.Available, balance.Expiring), Is.EqualTo((2000L, (long?)2000L)));
        Assert.That(balance.ExpiresAt, Is.EqualTo(postedAt.AddDays(30)).Within(TimeSpan.FromMinutes(1)));
        await travel.AssertLedgerSoundAsync();
    }

    [Test]
    public async Task Reversals_racing_two_runners_after_the_hold_each_void_or_take_back_every_reward_once()
    {
        const int Friends = 40;
        await using var travel = await TimeTravel.StartAsync(("Jobs:BatchSize", "7"));
        var other = travel.Instance(settings: ("Jobs:BatchSize", "7"));
        var (_, alice, code) = await travel.ReferralAsync(HoldProgram(holdDays: 1));
        using var merchant = travel.As(Tokens.Merchant);
        var redemptions = new List<Guid>();
        for (var f = 0; f < Friends; f++)
        {
            var redeemed = await merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId($"friend{f}")).Created();
            Assert.That((await merchant.Redemptions.QualifyAsync(redeemed.Id, $"order-{f}", 5000).Ok()).Status, Is.EqualTo("held"));
            redemptions.Add(redeemed.Id);
        }
        travel.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        using var one = travel.As(Tokens.Admin);
        using var two = other.As(Tokens.Admin);
        var passes = Task.WhenAll(one.Jobs.RunAsync().Ok(), two.Jobs.RunAsync().Ok());
        var reversals = Task.WhenAll(redemptions.Select(async id =>
        {
            using var caller = travel.As(Tokens.Merchant);
            return await caller.Redemptions.ReverseAsync(id, "refunded").Ok();
        }));
        var posted = (await passes).Sum(p => p.Succeeded()[JobKinds.PostHeldRewards].Done);
        await reversals;
        await TestContext.Out.WriteLineAsync($"posted by the runners before their reversal: {posted} of {Friends}");

        // Every redemption reversed once; what posted was taken back whole (nothing was spent), what did not was voided.
        Assert.That((await Task.WhenAll(redemptions.Select(travel.RedemptionAsync))).Select(r => r.Status), Is.All.EqualTo("reversed"));
        Assert.That(Amounts(await travel.BalanceAsync(alice)), Is.EqualTo((0L, 0L, (DateTimeOffset?)null)));
        Assert.That((await travel.RunRedemptionJobsAsync()).Posted, Is.Zero);
        await travel.AssertLedgerSoundAsync();
    }
}
