using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Redemptions;

public sealed class LifecycleTests
{
    [Test]
    public async Task A_referral_goes_from_redemption_to_spendable_credit_for_both_sides_and_back()
    {
        var program = await Scenario.NewProgramAsync(referrerReward: 2000, refereeReward: 1000, minimumOrderAmount: 3000);
        var alice = Api.NewCustomerId("alice");
        var bob = Api.NewCustomerId("bob");
        var code = await Scenario.CodeForAsync(program, alice);
        using var merchant = Api.Merchant();

        // Redeem: both sides pending.
        var redeemed = await Scenario.RedeemAsync(code, bob);
        var id = redeemed.GetProperty("id").GetGuid();
        Assert.That(redeemed.Str("status"), Is.EqualTo("pending"));
        var rewards = redeemed.GetProperty("rewards").EnumerateArray().ToList();
        Assert.That(rewards.Select(r => (r.Str("customerId"), r.Str("role"), r.Long("amount"), r.Str("status"))),
            Is.EquivalentTo(new[] { (alice, "referrer", 2000L, "pending"), (bob, "referee", 1000L, "pending") }));
        Assert.That(await Scenario.BalanceAsync(alice), Is.EqualTo((0L, 2000L)));
        Assert.That(await Scenario.BalanceAsync(bob), Is.EqualTo((0L, 1000L)));

        // Qualify: both posted.
        var qualified = await Scenario.QualifyAsync(id, orderAmount: 3000, orderId: "first-order");
        Assert.That(qualified.Str("status"), Is.EqualTo("rewarded"));
        Assert.That(qualified.GetProperty("rewards").EnumerateArray().Select(r => r.Str("status")), Is.All.EqualTo("posted"));
        Assert.That(await Scenario.BalanceAsync(alice), Is.EqualTo((2000L, 0L)));
        Assert.That(await Scenario.BalanceAsync(bob), Is.EqualTo((1000L, 0L)));

        // Spend, and undo the spend.
        var spend = await (await merchant.PostAsync($"/v1/customers/{alice}/spends", new { amount = 1500, currency = "USD", orderId = "checkout-1" }))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.That(spend.Long("balanceAfter"), Is.EqualTo(500));
        var reversedSpend = await (await merchant.PostAsync($"/v1/spends/{spend.Str("id")}/reverse", new { }))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.That(reversedSpend.Str("status"), Is.EqualTo("reversed"));
        Assert.That(reversedSpend.Long("balanceAfter"), Is.EqualTo(2000));

        // Refund: posted credit is reversed with new transfers.
        var reversed = await (await merchant.PostAsync($"/v1/redemptions/{id}/reverse", new { reason = "order refunded" }))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.That(reversed.Str("status"), Is.EqualTo("reversed"));
        Assert.That(reversed.GetProperty("rewards").EnumerateArray().Select(r => (r.Str("status"), r.Long("shortfall"))),
            Is.All.EqualTo(("reversed", 0L)));
        Assert.That(await Scenario.BalanceAsync(alice), Is.EqualTo((0L, 0L)));
        Assert.That(await Scenario.BalanceAsync(bob), Is.EqualTo((0L, 0L)));

        using var finance = Api.Finance();
        var read = await (await finance.GetAsync($"/v1/redemptions/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.That(read.Str("reversalReason"), Is.EqualTo("order refunded"));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task Reversing_a_pending_redemption_voids_both_rewards()
    {
        var program = await Scenario.NewProgramAsync();
        var alice = Api.NewCustomerId("alice");
        var bob = Api.NewCustomerId("bob");
        var redeemed = await Scenario.RedeemAsync(await Scenario.CodeForAsync(program, alice), bob);
        using var merchant = Api.Merchant();

        var reversed = await (await merchant.PostAsync($"/v1/redemptions/{redeemed.Str("id")}/reverse", new { reason = "fraud" }))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.That(reversed.GetProperty("rewards").EnumerateArray().Select(r => r.Str("status")), Is.All.EqualTo("voided"));
        Assert.That(await Scenario.BalanceAsync(alice), Is.EqualTo((0L, 0L)));
        Assert.That(await Scenario.BalanceAsync(bob), Is.EqualTo((0L, 0L)));
        await (await merchant.PostAsync($"/v1/redemptions/{redeemed.Str("id")}/qualify", new { orderId = "late", orderAmount = 100 }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_state");
        await (await merchant.PostAsync($"/v1/redemptions/{redeemed.Str("id")}/reverse", new { reason = "again" }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_state");
    }

    [Test]
    public async Task Reversing_after_the_credit_was_spent_claws_back_what_is_left_and_reports_the_shortfall()
    {
        var (_, referrer, friend, redemption) = await Scenario.RewardedPairAsync(referrerReward: 2000, refereeReward: 1000);
        using var merchant = Api.Merchant();
        await (await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = 700, currency = "USD", orderId = "spent-it" }))
            .ExpectAsync(HttpStatusCode.Created);

        var reversed = await (await merchant.PostAsync($"/v1/redemptions/{redemption}/reverse", new { reason = "refund" }))
            .ExpectAsync(HttpStatusCode.OK);

        var shortfalls = reversed.GetProperty("rewards").EnumerateArray().ToDictionary(r => r.Str("role"), r => r.Long("shortfall"));
        Assert.That(shortfalls["referee"], Is.EqualTo(700));
        Assert.That(shortfalls["referrer"], Is.EqualTo(0));
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((0L, 0L)), "never negative");
        Assert.That(await Scenario.BalanceAsync(referrer), Is.EqualTo((0L, 0L)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task Redeeming_own_code_is_refused_as_self_referral()
    {
        var program = await Scenario.NewProgramAsync();
        var alice = Api.NewCustomerId("alice");
        var code = await Scenario.CodeForAsync(program, alice);
        using var merchant = Api.Merchant();

        var response = await merchant.PostAsync("/v1/redemptions", new { code, customerId = alice });

        await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "self_referral");
        Assert.That(await Scenario.BalanceAsync(alice), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public async Task A_friend_is_rewarded_once_per_program_even_through_another_code()
    {
        var program = await Scenario.NewProgramAsync();
        var bob = Api.NewCustomerId("bob");
        await Scenario.RedeemAsync(await Scenario.CodeForAsync(program, Api.NewCustomerId("alice")), bob);
        var carolCode = await Scenario.CodeForAsync(program, Api.NewCustomerId("carol"));
        using var merchant = Api.Merchant();

        var response = await merchant.PostAsync("/v1/redemptions", new { code = carolCode, customerId = bob });

        await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "already_referred");
        Assert.That(await Scenario.BalanceAsync(bob), Is.EqualTo((0L, 1000L)));
    }

    [Test]
    public async Task A_referrer_is_rewarded_at_most_the_program_limit_and_a_reversal_frees_a_slot()
    {
        var program = await Scenario.NewProgramAsync(maxRewardsPerReferrer: 2);
        var alice = Api.NewCustomerId("alice");
        var code = await Scenario.CodeForAsync(program, alice);
        using var merchant = Api.Merchant();
        var first = await Scenario.RedeemAsync(code, Api.NewCustomerId("f1"));
        await Scenario.RedeemAsync(code, Api.NewCustomerId("f2"));

        await (await merchant.PostAsync("/v1/redemptions", new { code, customerId = Api.NewCustomerId("f3") }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "referrer_cap_reached");

        await (await merchant.PostAsync($"/v1/redemptions/{first.Str("id")}/reverse", new { reason = "fraud" })).ExpectAsync(HttpStatusCode.OK);
        await Scenario.RedeemAsync(code, Api.NewCustomerId("f4"));
        Assert.That(await Scenario.BalanceAsync(alice), Is.EqualTo((0L, 4000L)));
    }

    [Test]
    public async Task An_order_below_the_minimum_does_not_qualify()
    {
        var program = await Scenario.NewProgramAsync(minimumOrderAmount: 5000);
        var redeemed = await Scenario.RedeemAsync(await Scenario.CodeForAsync(program, Api.NewCustomerId("a")), Api.NewCustomerId("b"));
        using var merchant = Api.Merchant();

        var response = await merchant.PostAsync($"/v1/redemptions/{redeemed.Str("id")}/qualify", new { orderId = "small", orderAmount = 4999 });

        await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "order_below_minimum");
        using var finance = Api.Finance();
        var read = await (await finance.GetAsync($"/v1/redemptions/{redeemed.Str("id")}")).ExpectAsync(HttpStatusCode.OK);
        Assert.That(read.Str("status"), Is.EqualTo("pending"));
    }

    [Test]
    public async Task Qualifying_again_with_the_same_order_changes_nothing_and_another_order_is_refused()
    {
        var (_, _, friend, redemption) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();
        var read = await (await merchant.GetAsync($"/v1/redemptions/{redemption}")).ExpectAsync(HttpStatusCode.OK);
        var orderId = read.Str("qualifyingOrderId");

        var again = await (await merchant.PostAsync($"/v1/redemptions/{redemption}/qualify", new { orderId, orderAmount = 5000 })).ExpectAsync(HttpStatusCode.OK);
        Assert.That(again.Str("status"), Is.EqualTo("rewarded"));
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((1000L, 0L)));

        await (await merchant.PostAsync($"/v1/redemptions/{redemption}/qualify", new { orderId = "other", orderAmount = 5000 }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_state");
    }

    [Test]
    public async Task Unknown_codes_and_redemptions_are_not_found()
    {
        using var merchant = Api.Merchant();
        await (await merchant.PostAsync("/v1/redemptions", new { code = "NOSUCHCODE", customerId = "bob" }))
            .ExpectProblemAsync(HttpStatusCode.NotFound, "code_not_found");
        await (await merchant.PostAsync($"/v1/redemptions/{Guid.NewGuid()}/qualify", new { orderId = "o", orderAmount = 1 }))
            .ExpectProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await merchant.PostAsync($"/v1/redemptions/{Guid.NewGuid()}/reverse", new { reason = "r" }))
            .ExpectProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await merchant.GetAsync($"/v1/redemptions/{Guid.NewGuid()}")).ExpectProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}
