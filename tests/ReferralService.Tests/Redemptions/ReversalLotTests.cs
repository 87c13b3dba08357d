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
}
