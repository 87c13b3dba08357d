using ReferralService.Tests.Support;

namespace ReferralService.Tests.Redemptions;

/// <summary>A reversed reward is taken back from its own credit lot first, whatever expires sooner.</summary>
internal sealed class ReversalLotTests
{
    private static async Task<Guid> RewardAsync(string friend, long refereeReward, int creditExpiryDays)
    {
        using var admin = Api.Admin();
        var program = (await admin.Programs.CreateProgramAsync(
            new NewProgram("Expiring credit", "USD", 500, refereeReward, 0, CreditExpiryDays: creditExpiryDays)).Created()).Id;
        var redemption = await Scenario.RedeemAsync(await Scenario.CodeForAsync(program, Api.NewCustomerId("referrer")), friend);
        await Scenario.QualifyAsync(redemption.Id);
        return redemption.Id;
    }

    private static async Task<Balance> BalanceAsync(string customerId)
    {
        using var finance = Api.Finance();
        return (await finance.Credits.GetBalanceAsync(customerId).Ok()).Balances.Single(b => b.Currency == "USD");
    }

    [Test]
    public async Task Reversing_a_reward_takes_back_its_own_lot_and_leaves_the_credit_that_expires_sooner()
    {
        var alice = Api.NewCustomerId("alice");
        var lateExpiring = await RewardAsync(alice, refereeReward: 1000, creditExpiryDays: 30);
        await RewardAsync(alice, refereeReward: 700, creditExpiryDays: 10);
        var before = await BalanceAsync(alice);
        Assert.That((before.Available, before.Expiring), Is.EqualTo((1700L, (long?)700L)));

        using var merchant = Api.Merchant();
        var reversed = await merchant.Redemptions.ReverseAsync(lateExpiring, "refunded").Ok();

        // Taken soonest-expiring first, the reversal would have left 700 of the 30-day lot instead.
        Assert.That(reversed.Rewards.Single(r => r.CustomerId == alice).Shortfall, Is.Zero);
        var after = await BalanceAsync(alice);
        Assert.That((after.Available, after.Expiring, after.ExpiresAt), Is.EqualTo((700L, (long?)700L, before.ExpiresAt)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task Reversing_a_reward_whose_credit_expired_takes_back_only_what_did_not_expire()
    {
        // Bob's 1000 of credit expires after 10 days, 300 of it spent: the program booked 700 as breakage. A refund
        // after that takes back the 300 he had the use of (from other credit, else owed), never the 700 again.
        await using var travel = await TimeTravel.StartAsync();
        var (_, _, code) = await travel.ReferralAsync(new NewProgram("Expiring", "USD", 500, 1000, 0, CreditExpiryDays: 10));
        var (_, _, laterCode) = await travel.ReferralAsync(new NewProgram("Later", "USD", 500, 400, 0));
        var bob = Api.NewCustomerId("bob");
        using var merchant = travel.As(Tokens.Merchant);
        var expiring = await merchant.Redemptions.RedeemAsync(code, bob).Created();
        await merchant.Redemptions.QualifyAsync(expiring.Id, "first-order", 5000).Ok();
        await merchant.Credits.SpendAsync(bob, 300, "spent-some").Created();

        travel.Clock.Advance(TimeSpan.FromDays(11));
        await travel.RunPassAsync();
        Assert.That((await travel.BalanceAsync(bob)).Available, Is.Zero, "the unspent 700 expired");
        var other = await merchant.Redemptions.RedeemAsync(laterCode, bob).Created();
        await merchant.Redemptions.QualifyAsync(other.Id, "later-order", 5000).Ok();
        Assert.That((await travel.BalanceAsync(bob)).Available, Is.EqualTo(400));

        var reversed = await merchant.Redemptions.ReverseAsync(expiring.Id, "refunded").Ok();

        Assert.That(reversed.Rewards.Single(r => r.CustomerId == bob).Shortfall, Is.Zero);
        var after = await travel.BalanceAsync(bob);
        Assert.That((after.Available, after.Owed), Is.EqualTo((100L, 0L)), "400 less the 300 he spent of the reward");
        await travel.AssertLedgerSoundAsync();
    }

    [Test]
    public async Task Reversing_a_reward_that_expired_unspent_takes_nothing_back_and_leaves_nothing_owed()
    {
        await using var travel = await TimeTravel.StartAsync();
        var (_, _, code) = await travel.ReferralAsync(new NewProgram("Expiring", "USD", 500, 1000, 0, CreditExpiryDays: 10));
        var bob = Api.NewCustomerId("bob");
        using var merchant = travel.As(Tokens.Merchant);
        var redemption = await merchant.Redemptions.RedeemAsync(code, bob).Created();
        await merchant.Redemptions.QualifyAsync(redemption.Id, "first-order", 5000).Ok();
        travel.Clock.Advance(TimeSpan.FromDays(11)); // not run: the reversal itself expires the lot first

        var reversed = await merchant.Redemptions.ReverseAsync(redemption.Id, "refunded").Ok();

        Assert.That(reversed.Rewards.Select(r => (r.Status, r.Shortfall)), Is.All.EqualTo(("reversed", (long?)0L)));
        var after = await travel.BalanceAsync(bob);
        Assert.That((after.Available, after.Owed), Is.EqualTo((0L, 0L)));
        await travel.AssertLedgerSoundAsync();
    }
}
