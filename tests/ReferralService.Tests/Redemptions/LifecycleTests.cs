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
        Assert.That(redeemed.Status, Is.EqualTo("pending"));
        Assert.That(redeemed.Rewards.Select(r => (r.CustomerId, r.Role, r.Amount, r.Status)),
            Is.EquivalentTo(new[] { (alice, "referrer", 2000L, "pending"), (bob, "referee", 1000L, "pending") }));
        Assert.That(await Scenario.BalanceAsync(alice), Is.EqualTo((0L, 2000L)));
        Assert.That(await Scenario.BalanceAsync(bob), Is.EqualTo((0L, 1000L)));

        // Qualify: both posted.
        var qualified = await Scenario.QualifyAsync(redeemed.Id, orderAmount: 3000, orderId: "first-order");
        Assert.That(qualified.Status, Is.EqualTo("rewarded"));
        Assert.That(qualified.Rewards.Select(r => r.Status), Is.All.EqualTo("posted"));
        Assert.That(await Scenario.BalanceAsync(alice), Is.EqualTo((2000L, 0L)));
        Assert.That(await Scenario.BalanceAsync(bob), Is.EqualTo((1000L, 0L)));

        // Spend, and undo the spend.
        var spend = await merchant.Credits.SpendAsync(alice, 1500, "checkout-1").Created();
        Assert.That(spend.BalanceAfter, Is.EqualTo(500));
        var reversedSpend = await merchant.Credits.ReverseSpendAsync(spend.Id).Ok();
        Assert.That(reversedSpend.Status, Is.EqualTo("reversed"));
        Assert.That(reversedSpend.BalanceAfter, Is.EqualTo(2000));

        // Refund: posted credit is reversed with new transfers.
        var reversed = await merchant.Redemptions.ReverseAsync(redeemed.Id, "order refunded").Ok();
        Assert.That(reversed.Status, Is.EqualTo("reversed"));
        Assert.That(reversed.Rewards.Select(r => (r.Status, r.Shortfall)), Is.All.EqualTo(("reversed", (long?)0L)));
        Assert.That(await Scenario.BalanceAsync(alice), Is.EqualTo((0L, 0L)));
        Assert.That(await Scenario.BalanceAsync(bob), Is.EqualTo((0L, 0L)));

        using var finance = Api.Finance();
        var read = await finance.Redemptions.GetRedemptionAsync(redeemed.Id).Ok();
        Assert.That(read.ReversalReason, Is.EqualTo("order refunded"));
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

        var reversed = await merchant.Redemptions.ReverseAsync(redeemed.Id, "fraud").Ok();

        Assert.That(reversed.Rewards.Select(r => r.Status), Is.All.EqualTo("voided"));
        Assert.That(await Scenario.BalanceAsync(alice), Is.EqualTo((0L, 0L)));
        Assert.That(await Scenario.BalanceAsync(bob), Is.EqualTo((0L, 0L)));
        await merchant.Redemptions.QualifyAsync(redeemed.Id, "late", 100).Refused(HttpStatusCode.UnprocessableEntity, "invalid_state");
        await merchant.Redemptions.ReverseAsync(redeemed.Id, "again").Refused(HttpStatusCode.UnprocessableEntity, "invalid_state");
    }

    [Test]
    public async Task Reversing_after_the_credit_was_spent_claws_back_what_is_left_and_reports_the_shortfall()
    {
        var (_, referrer, friend, redemption) = await Scenario.RewardedPairAsync(referrerReward: 2000, refereeReward: 1000);
        using var merchant = Api.Merchant();
        await merchant.Credits.SpendAsync(friend, 700, "spent-it").Created();

        var reversed = await merchant.Redemptions.ReverseAsync(redemption, "refund").Ok();

        var shortfalls = reversed.Rewards.ToDictionary(r => r.Role, r => r.Shortfall);
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

        await merchant.Redemptions.RedeemAsync(code, alice).Refused(HttpStatusCode.UnprocessableEntity, "self_referral");

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

        await merchant.Redemptions.RedeemAsync(carolCode, bob).Refused(HttpStatusCode.UnprocessableEntity, "already_referred");

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

        await merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId("f3")).Refused(HttpStatusCode.UnprocessableEntity, "referrer_cap_reached");

        await merchant.Redemptions.ReverseAsync(first.Id, "fraud").Ok();
        await Scenario.RedeemAsync(code, Api.NewCustomerId("f4"));
        Assert.That(await Scenario.BalanceAsync(alice), Is.EqualTo((0L, 4000L)));
    }

    [Test]
    public async Task An_order_below_the_minimum_does_not_qualify()
    {
        var program = await Scenario.NewProgramAsync(minimumOrderAmount: 5000);
        var redeemed = await Scenario.RedeemAsync(await Scenario.CodeForAsync(program, Api.NewCustomerId("a")), Api.NewCustomerId("b"));
        using var merchant = Api.Merchant();

        await merchant.Redemptions.QualifyAsync(redeemed.Id, "small", 4999).Refused(HttpStatusCode.UnprocessableEntity, "order_below_minimum");

        using var finance = Api.Finance();
        var read = await finance.Redemptions.GetRedemptionAsync(redeemed.Id).Ok();
        Assert.That(read.Status, Is.EqualTo("pending"));
    }

    [Test]
    public async Task Qualifying_again_with_the_same_order_changes_nothing_and_another_order_is_refused()
    {
        var (_, _, friend, redemption) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();
        var orderId = (await merchant.Redemptions.GetRedemptionAsync(redemption).Ok()).QualifyingOrderId;
        Assert.That(orderId, Is.Not.Null);

        var again = await merchant.Redemptions.QualifyAsync(redemption, orderId!, 5000).Ok();
        Assert.That(again.Status, Is.EqualTo("rewarded"));
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((1000L, 0L)));

        await merchant.Redemptions.QualifyAsync(redemption, "other", 5000).Refused(HttpStatusCode.UnprocessableEntity, "invalid_state");
    }

    [Test]
    public async Task Unknown_codes_and_redemptions_are_not_found()
    {
        using var merchant = Api.Merchant();
        await merchant.Redemptions.RedeemAsync("NOSUCHCODE", "bob").Refused(HttpStatusCode.NotFound, "code_not_found");
        await merchant.Redemptions.QualifyAsync(Guid.NewGuid(), "o", 1).Refused(HttpStatusCode.NotFound, "not_found");
        await merchant.Redemptions.ReverseAsync(Guid.NewGuid(), "r").Refused(HttpStatusCode.NotFound, "not_found");
        await merchant.Redemptions.GetRedemptionAsync(Guid.NewGuid()).Refused(HttpStatusCode.NotFound, "not_found");
    }
}
