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
        var orderA = await (await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = 1000, currency = "USD", orderId = "order-a" }))
            .ExpectAsync(HttpStatusCode.Created);
        await (await merchant.PostAsync($"/v1/redemptions/{redemption}/reverse", new { reason = "fraud" })).ExpectAsync(HttpStatusCode.OK);
        Assert.That(await Scenario.OwedAsync(friend), Is.EqualTo(1000));

        var reversed = await (await merchant.PostAsync($"/v1/spends/{orderA.Str("id")}/reverse", new { })).ExpectAsync(HttpStatusCode.OK);

        Assert.That(reversed.Long("balanceAfter"), Is.Zero);
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((0L, 0L)));
        Assert.That(await Scenario.OwedAsync(friend), Is.Zero);
        await (await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = 1000, currency = "USD", orderId = "order-b" }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "insufficient_credit");
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task A_later_reward_pays_an_outstanding_shortfall_first_and_the_statement_shows_each_step()
    {
        var (_, _, friend, redemption) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var merchant = Api.Merchant();
        await (await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = 700, currency = "USD", orderId = "spent-700" }))
            .ExpectAsync(HttpStatusCode.Created);
        var reversal = await (await merchant.PostAsync($"/v1/redemptions/{redemption}/reverse", new { reason = "refund" }))
            .ExpectAsync(HttpStatusCode.OK);
        var referee = reversal.GetProperty("rewards").EnumerateArray().Single(r => r.Str("role") == "referee");
        Assert.That(referee.Long("shortfall"), Is.EqualTo(700));
        Assert.That(await Scenario.OwedAsync(friend), Is.EqualTo(700));

        // The friend now refers someone else; the referrer reward of 2000 posts and pays the 700 first.
        var program = await Scenario.NewProgramAsync(referrerReward: 2000);
        var next = await Scenario.RedeemAsync(await Scenario.CodeForAsync(program, friend), Api.NewCustomerId("next"));
        await Scenario.QualifyAsync(next.GetProperty("id").GetGuid());

        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((1300L, 0L)));
        Assert.That(await Scenario.OwedAsync(friend), Is.Zero);
        using var finance = Api.Finance();
        var statement = await (await finance.GetAsync($"/v1/customers/{friend}/transactions")).ExpectAsync(HttpStatusCode.OK);
        var entries = statement.GetProperty("data").EnumerateArray().Select(t => (t.Str("kind"), t.Long("amount"))).ToList();
        Assert.That(entries, Does.Contain(("reward_shortfall", -700L)));
        Assert.That(entries, Does.Contain(("shortfall_settlement", -700L)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task Owing_customers_cannot_spend_until_what_they_owe_is_paid()
    {
        var (_, referrer, friend, redemption) = await Scenario.RewardedPairAsync(referrerReward: 2000, refereeReward: 1000);
        using var merchant = Api.Merchant();
        await (await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = 1000, currency = "USD", orderId = "all-of-it" }))
            .ExpectAsync(HttpStatusCode.Created);
        await (await merchant.PostAsync($"/v1/redemptions/{redemption}/reverse", new { reason = "fraud" })).ExpectAsync(HttpStatusCode.OK);

        await (await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = 1, currency = "USD", orderId = "one-more" }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "insufficient_credit");
        Assert.That(await Scenario.BalanceAsync(referrer), Is.EqualTo((0L, 0L)), "the untouched side is clawed back in full");
        Assert.That(await Scenario.OwedAsync(referrer), Is.Zero);
        await Ledger.AssertSoundAsync();
    }
}
