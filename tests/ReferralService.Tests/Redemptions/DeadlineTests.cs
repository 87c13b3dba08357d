using ReferralService.Tests.Support;

namespace ReferralService.Tests.Redemptions;

/// <summary>qualifyWithinDays: a redemption not qualified in time is refused late and expired by the job runner.</summary>
internal sealed class DeadlineTests
{
    private static NewProgram DeadlineProgram(int qualifyWithinDays, int? maxRewardsPerReferrer = null, long? budget = null) =>
        new("Order within a week", "USD", ReferrerReward: 2000, RefereeReward: 1000, MinimumOrderAmount: 0,
            MaxRewardsPerReferrer: maxRewardsPerReferrer, QualifyWithinDays: qualifyWithinDays, Budget: budget);

    /// <summary>(available, pending).</summary>
    private static (long, long) Amounts(Balance balance) => (balance.Available, balance.Pending);

    [Test]
    public async Task A_qualify_before_the_deadline_posts_and_one_after_it_is_refused_even_before_the_runner_ran()
    {
        await using var travel = await TimeTravel.StartAsync();
        var (_, alice, code) = await travel.ReferralAsync(DeadlineProgram(qualifyWithinDays: 7));
        using var merchant = travel.As(Tokens.Merchant);
        var early = await merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId("early")).Created();
        var late = await merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId("late")).Created();
        Assert.That(late.QualifyBy, Is.EqualTo(late.CreatedAt.AddDays(7)));

        travel.Clock.Advance(TimeSpan.FromDays(6));
        Assert.That((await merchant.Redemptions.QualifyAsync(early.Id, "early-order", 5000).Ok()).Status, Is.EqualTo("rewarded"));

        travel.Clock.Advance(TimeSpan.FromDays(1));
        await merchant.Redemptions.QualifyAsync(late.Id, "late-order", 5000).RefusedAsync("qualification_window_closed");
        // Nothing changed: the runner has not expired it yet, and its rewards are still pending.
        Assert.That((await travel.RedemptionAsync(late.Id)).Status, Is.EqualTo("pending"));
        Assert.That(Amounts(await travel.BalanceAsync(alice)), Is.EqualTo((2000L, 2000L)));
        await travel.AssertLedgerSoundAsync();
    }

    [Test]
    public async Task The_runner_expires_a_redemption_past_its_deadline_voids_its_rewards_and_gives_the_referrers_cap_back()
    {
        await using var travel = await TimeTravel.StartAsync();
        var (_, alice, code) = await travel.ReferralAsync(DeadlineProgram(qualifyWithinDays: 7, maxRewardsPerReferrer: 1));
        var bob = Api.NewCustomerId("bob");
        var carol = Api.NewCustomerId("carol");
        using var merchant = travel.As(Tokens.Merchant);
        var redeemed = await merchant.Redemptions.RedeemAsync(code, bob).Created();
        await merchant.Redemptions.RedeemAsync(code, carol).RefusedAsync("referrer_cap_reached");

        travel.Clock.Advance(TimeSpan.FromDays(6));
        Assert.That(await travel.RunRedemptionJobsAsync(), Is.EqualTo((0, 0)), "not due yet");
        travel.Clock.Advance(TimeSpan.FromDays(1));
        var expiredAround = travel.Clock.GetUtcNow();
        Assert.That(await travel.RunRedemptionJobsAsync(), Is.EqualTo((0, 1)));
        Assert.That(await travel.RunRedemptionJobsAsync(), Is.EqualTo((0, 0)), "each redemption expires once");

        var expired = await travel.RedemptionAsync(redeemed.Id);
        Assert.That(expired.Status, Is.EqualTo("expired"));
        Assert.That(expired.ExpiredAt, Is.EqualTo(expiredAround).Within(TimeSpan.FromMinutes(1)));
        Assert.That(expired.Rewards.Select(r => r.Status), Is.All.EqualTo("voided"));
        Assert.That(Amounts(await travel.BalanceAsync(alice)), Is.EqualTo((0L, 0L)));
        Assert.That(Amounts(await travel.BalanceAsync(bob)), Is.EqualTo((0L, 0L)));

        // An expired redemption can be neither qualified nor reversed; the referrer's one reward is free again.
        await merchant.Redemptions.QualifyAsync(redeemed.Id, "too-late", 5000).RefusedAsync("qualification_window_closed");
        await merchant.Redemptions.ReverseAsync(redeemed.Id, "refund").RefusedAsync("invalid_state");
        var next = await merchant.Redemptions.RedeemAsync(code, carol).Created();
        Assert.That(next.Status, Is.EqualTo("pending"));
        Assert.That((await travel.BalanceAsync(alice)).Pending, Is.EqualTo(2000));
        await travel.AssertLedgerSoundAsync();
    }

    [Test]
    public async Task An_expired_redemption_gives_back_what_it_committed_of_the_programs_budget()
    {
        await using var travel = await TimeTravel.StartAsync();
        var (program, _, code) = await travel.ReferralAsync(DeadlineProgram(qualifyWithinDays: 3, budget: 3000));
        using var merchant = travel.As(Tokens.Merchant);
        using var admin = travel.As(Tokens.Admin);
        await merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId("bob")).Created();
        await merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId("carol")).RefusedAsync("budget_exhausted");
        Assert.That((await admin.Programs.GetProgramAsync(program).Ok()).Committed, Is.EqualTo(3000));

        travel.Clock.Advance(TimeSpan.FromDays(3));
        Assert.That(await travel.RunRedemptionJobsAsync(), Is.EqualTo((0, 1)));
        Assert.That((await admin.Programs.GetProgramAsync(program).Ok()).Committed, Is.Zero);
        await merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId("dave")).Created();
        Assert.That((await admin.Programs.GetProgramAsync(program).Ok()).Committed, Is.EqualTo(3000));
        await travel.AssertLedgerSoundAsync();
    }

    [Test]
    public async Task An_expired_partner_redemption_gives_the_customer_their_use_and_voids_the_commission()
    {
        await using var travel = await TimeTravel.StartAsync();
        using var admin = travel.As(Tokens.Admin);
        using var merchant = travel.As(Tokens.Merchant);
        var partner = NewProgram.Partner(Offer.Credit(500), new Commission(Amount: 1500)) with
        {
            MaxRedemptionsPerCustomer = 1, QualifyWithinDays = 2, Budget = 10_000,
        };
        var program = (await admin.Programs.CreateProgramAsync(partner).Created()).Id;
        var emily = Api.NewCustomerId("emily");
        var code = (await admin.Codes.CreateCodeAsync(program, new NewCode(Scenario.NewVanityCode("EMILY-"), emily, null, null))
            .Created()).Code;
        var bob = Api.NewCustomerId("bob");
        var first = await merchant.Redemptions.RedeemAsync(Scenario.Order(code, bob, 10_000)).Created();
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, bob, 10_000)).RefusedAsync("customer_limit_reached");
        Assert.That(Amounts(await travel.BalanceAsync(emily)), Is.EqualTo((0L, 1500L)));
        Assert.That(Amounts(await travel.BalanceAsync(bob)), Is.EqualTo((0L, 500L)));

        travel.Clock.Advance(TimeSpan.FromDays(2));
        Assert.That(await travel.RunRedemptionJobsAsync(), Is.EqualTo((0, 1)));
        var expired = await travel.RedemptionAsync(first.Id);
        Assert.That(expired.Status, Is.EqualTo("expired"));
        Assert.That(expired.Rewards.Select(r => (r.CustomerId, r.Status)), Is.EquivalentTo(new[] { (emily, "voided"), (bob, "voided") }));
        Assert.That(Amounts(await travel.BalanceAsync(emily)), Is.EqualTo((0L, 0L)));
        Assert.That(Amounts(await travel.BalanceAsync(bob)), Is.EqualTo((0L, 0L)));
        Assert.That((await admin.Programs.GetProgramAsync(program).Ok()).Committed, Is.Zero);

        var second = await merchant.Redemptions.RedeemAsync(Scenario.Order(code, bob, 10_000)).Created();
        Assert.That(second.Status, Is.EqualTo("pending"));
        await travel.AssertLedgerSoundAsync();
    }

    [Test]
    public async Task Reversals_racing_two_runners_past_the_deadline_give_each_use_and_budget_back_once()
    {
        const int Friends = 40;
        await using var travel = await TimeTravel.StartAsync(("Jobs:BatchSize", "7"));
        var other = travel.Instance(settings: ("Jobs:BatchSize", "7"));
        var (program, alice, code) = await travel.ReferralAsync(
            DeadlineProgram(qualifyWithinDays: 1, maxRewardsPerReferrer: Friends, budget: Friends * 3000));
        using var merchant = travel.As(Tokens.Merchant);
        using var admin = travel.As(Tokens.Admin);
        var redemptions = new List<Guid>();
        for (var f = 0; f < Friends; f++)
        {
            redemptions.Add((await merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId($"friend{f}")).Created()).Id);
        }
        await merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId("one-too-many")).RefusedAsync("referrer_cap_reached");
        travel.Clock.Advance(TimeSpan.FromDays(1));

        using var one = travel.As(Tokens.Admin);
        using var two = other.As(Tokens.Admin);
        var passes = Task.WhenAll(one.Jobs.RunAsync().Ok(), two.Jobs.RunAsync().Ok());
        var reversals = Task.WhenAll(redemptions.Select(async id =>
        {
            using var caller = travel.As(Tokens.Merchant);
            var response = await caller.Redemptions.ReverseAsync(id, "cancelled");
            return response.Status == System.Net.HttpStatusCode.OK ? "reversed" : response.Refused(System.Net.HttpStatusCode.UnprocessableEntity).Code;
        }));
        var expired = (await passes).Sum(p => p.Succeeded()[JobKinds.ExpireRedemptions].Done);
        var answers = await reversals;
        await TestContext.Out.WriteLineAsync($"expired by the runners: {expired} of {Friends}");

        // Each redemption either expired (its reversal refused) or was reversed, never both.
        var states = (await Task.WhenAll(redemptions.Select(travel.RedemptionAsync))).Select(r => r.Status).ToList();
        Assert.That(states.Count(s => s == "expired"), Is.EqualTo(expired));
        Assert.That(answers.Count(a => a == "invalid_state"), Is.EqualTo(expired));
        Assert.That(states.Count(s => s == "reversed"), Is.EqualTo(Friends - expired));
        Assert.That(Amounts(await travel.BalanceAsync(alice)), Is.EqualTo((0L, 0L)));
        Assert.That((await admin.Programs.GetProgramAsync(program).Ok()).Committed, Is.Zero);
        // Every use and all the budget given back exactly once: Friends new friends fit again, and not one more.
        for (var f = 0; f < Friends; f++)
        {
            await merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId($"again{f}")).Created();
        }
        await merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId("over-the-cap")).RefusedAsync("referrer_cap_reached");
        await travel.AssertLedgerSoundAsync();
    }
}
