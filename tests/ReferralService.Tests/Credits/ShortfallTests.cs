using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Credits;

/// <summary>
/// A reversal that finds the reward already spent leaves the customer owing the rest (a receivable in
/// the ledger); credit that arrives later pays it first, so reversed credit is never spent twice.
/// </summary>
public sealed class ShortfallTests
{
    [Test]
    public async Task Credit_given_back_by_a_spend_reversal_first_pays_what_a_reversed_reward_left_owing()
    {
        var (_, _, friend, redemption) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var merchant = Api.Merchant();
        var orderA = await merchant.Credits.SpendAsync(friend, 1000, "order-a").Created();
        await merchant.Redemptions.ReverseAsync(redemption, "fraud").Ok();
        Assert.That(await Scenario.OwedAsync(friend), Is.EqualTo(1000));

        var reversed = await merchant.Credits.ReverseSpendAsync(orderA.Id).Ok();

        Assert.That(reversed.BalanceAfter, Is.Zero);
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((0L, 0L)));
        Assert.That(await Scenario.OwedAsync(friend), Is.Zero);
        await merchant.Credits.SpendAsync(friend, 1000, "order-b").Refused(HttpStatusCode.UnprocessableEntity, "insufficient_credit");
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task A_later_reward_pays_an_outstanding_shortfall_first_and_the_statement_shows_each_step()
    {
        var (_, _, friend, redemption) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var merchant = Api.Merchant();
        await merchant.Credits.SpendAsync(friend, 700, "spent-700").Created();
        var reversal = await merchant.Redemptions.ReverseAsync(redemption, "refund").Ok();
        Assert.That(reversal.Rewards.Single(r => r.Role == "referee").Shortfall, Is.EqualTo(700));
        Assert.That(await Scenario.OwedAsync(friend), Is.EqualTo(700));

        // The friend now refers someone else; the referrer reward of 2000 posts and pays the 700 first.
        var program = await Scenario.NewProgramAsync(referrerReward: 2000);
        var next = await Scenario.RedeemAsync(await Scenario.CodeForAsync(program, friend), Api.NewCustomerId("next"));
        await Scenario.QualifyAsync(next.Id);

        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((1300L, 0L)));
        Assert.That(await Scenario.OwedAsync(friend), Is.Zero);
        using var finance = Api.Finance();
        var statement = await finance.Credits.ListTransactionsAsync(friend).Ok();
        var entries = statement.Data.Select(t => (t.Kind, t.Amount)).ToList();
        Assert.That(entries, Does.Contain(("reward_shortfall", -700L)));
        Assert.That(entries, Does.Contain(("shortfall_settlement", -700L)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task Owing_customers_cannot_spend_until_what_they_owe_is_paid()
    {
        var (_, referrer, friend, redemption) = await Scenario.RewardedPairAsync(referrerReward: 2000, refereeReward: 1000);
        using var merchant = Api.Merchant();
        await merchant.Credits.SpendAsync(friend, 1000, "all-of-it").Created();
        await merchant.Redemptions.ReverseAsync(redemption, "fraud").Ok();

        await merchant.Credits.SpendAsync(friend, 1, "one-more").Refused(HttpStatusCode.UnprocessableEntity, "insufficient_credit");
        Assert.That(await Scenario.BalanceAsync(referrer), Is.EqualTo((0L, 0L)), "the untouched side is clawed back in full");
        Assert.That(await Scenario.OwedAsync(referrer), Is.Zero);
        await Ledger.AssertSoundAsync();
    }
}
