using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Redemptions;

/// <summary>Each kind of code end to end: redeem at checkout, qualify, reverse (order cancelled).</summary>
public sealed class CodeKindTests
{
    [Test]
    public async Task A_promo_discount_is_recorded_with_no_ledger_entry_and_reversing_gives_the_use_back()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.PercentOffer(2500, maxDiscount: 500), maxRedemptionsPerCustomer: 1);
        var code = await Scenario.VanityCodeAsync(program, prefix: "SPRING-");
        var bob = Api.NewCustomerId("bob");
        using var merchant = Api.Merchant();

        var redemption = await merchant.Redemptions.RedeemAsync(Scenario.Order(code.ToLowerInvariant(), bob, 1000)).Created();

        Assert.Multiple(() =>
        {
            Assert.That(redemption.Kind, Is.EqualTo("promo"));
            Assert.That(redemption.Status, Is.EqualTo("redeemed"));
            Assert.That(redemption.Code, Is.EqualTo(code));
            Assert.That(redemption.ReferrerId, Is.Null);
            Assert.That(redemption.RefereeId, Is.EqualTo(bob));
            Assert.That(redemption.Discount, Is.EqualTo(250));
            Assert.That(redemption.Credit, Is.Zero);
            Assert.That(redemption.Rewards, Is.Empty);
            Assert.That(redemption.OrderAmount, Is.EqualTo(1000));
        });
        Assert.That(await Scenario.BalanceAsync(bob), Is.EqualTo((0L, 0L)));
        await merchant.Redemptions.QualifyAsync(redemption.Id, redemption.OrderId!, 1000).Refused(HttpStatusCode.UnprocessableEntity, "invalid_state");
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, bob, 1000)).Refused(HttpStatusCode.UnprocessableEntity, "customer_limit_reached");

        var reversed = await merchant.Redemptions.ReverseAsync(redemption.Id, "order cancelled").Ok();
        var again = await merchant.Redemptions.RedeemAsync(Scenario.Order(code, bob, 4000)).Created();

        Assert.That(reversed.Status, Is.EqualTo("reversed"));
        Assert.That(again.Discount, Is.EqualTo(500), "capped by maxDiscount");
        await merchant.Redemptions.ReverseAsync(redemption.Id, "again").Refused(HttpStatusCode.UnprocessableEntity, "invalid_state");
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task A_gift_code_posts_credit_at_once_and_reversing_claws_it_back()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.Credit(2500));
        var code = await Scenario.VanityCodeAsync(program, prefix: "GIFT-");
        var bob = Api.NewCustomerId("bob");
        using var merchant = Api.Merchant();

        var redemption = await merchant.Redemptions.RedeemAsync(Scenario.Order(code, bob, 100)).Created();

        Assert.Multiple(() =>
        {
            Assert.That(redemption.Status, Is.EqualTo("redeemed"));
            Assert.That(redemption.Discount, Is.Zero);
            Assert.That(redemption.Credit, Is.EqualTo(2500), "a gift's credit is not capped by the order");
            Assert.That(redemption.Rewards, Is.EqualTo(new[] { new Reward(bob, "referee", 2500, "USD", "posted", null) }));
        });
        Assert.That(await Scenario.BalanceAsync(bob), Is.EqualTo((2500L, 0L)));

        await merchant.Credits.SpendAsync(bob, 1000, Scenario.NewOrderId()).Created();
        var reversed = await merchant.Redemptions.ReverseAsync(redemption.Id, "chargeback").Ok();

        Assert.That(reversed.Rewards, Is.EqualTo(new[] { new Reward(bob, "referee", 2500, "USD", "reversed", 1000) }));
        Assert.That(await Scenario.BalanceAsync(bob), Is.EqualTo((0L, 0L)));
        Assert.That(await Scenario.OwedAsync(bob), Is.EqualTo(1000));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task A_partner_code_gives_the_offer_and_a_commission_posted_when_the_order_qualifies()
    {
        var program = await Scenario.NewPartnerProgramAsync(Offer.PercentOffer(1000), new Commission(BasisPoints: 1234, Max: 5000));
        var emily = Api.NewCustomerId("emily");
        var code = await Scenario.VanityCodeAsync(program, emily, prefix: "EMILY-");
        var bob = Api.NewCustomerId("bob");
        using var merchant = Api.Merchant();

        var redemption = await merchant.Redemptions.RedeemAsync(Scenario.Order(code, bob, 10_000)).Created();

        Assert.Multiple(() =>
        {
            Assert.That(redemption.Kind, Is.EqualTo("partner"));
            Assert.That(redemption.Status, Is.EqualTo("pending"));
            Assert.That(redemption.ReferrerId, Is.EqualTo(emily));
            Assert.That(redemption.Discount, Is.EqualTo(1000));
            Assert.That(redemption.Credit, Is.Zero);
            Assert.That(redemption.Rewards, Is.EqualTo(new[] { new Reward(emily, "referrer", 1234, "USD", "pending", null) }));
        });
        Assert.That(await Scenario.BalanceAsync(emily), Is.EqualTo((0L, 1234L)));

        var qualified = await merchant.Redemptions.QualifyAsync(redemption.Id, redemption.OrderId!, 10_000).Ok();
        Assert.That(qualified.Rewards.Single().Status, Is.EqualTo("posted"));
        Assert.That(await Scenario.BalanceAsync(emily), Is.EqualTo((1234L, 0L)));

        var reversed = await merchant.Redemptions.ReverseAsync(redemption.Id, "returned").Ok();
        Assert.That(reversed.Rewards.Single().Status, Is.EqualTo("reversed"));
        Assert.That(await Scenario.BalanceAsync(emily), Is.EqualTo((0L, 0L)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task A_partner_commission_is_voided_when_the_order_is_cancelled_before_it_qualifies()
    {
        var program = await Scenario.NewPartnerProgramAsync(Offer.AmountOffer(500), new Commission(Amount: 777));
        var emily = Api.NewCustomerId("emily");
        var code = await Scenario.VanityCodeAsync(program, emily, prefix: "EMILY-");
        using var merchant = Api.Merchant();

        var redemption = await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("bob"), 300)).Created();
        Assert.That(redemption.Discount, Is.EqualTo(300), "an amount off is capped by the order");
        Assert.That(redemption.Rewards.Single().Amount, Is.EqualTo(777), "a fixed commission is paid as set");

        var reversed = await merchant.Redemptions.ReverseAsync(redemption.Id, "cancelled").Ok();

        Assert.That(reversed.Rewards.Single().Status, Is.EqualTo("voided"));
        Assert.That(await Scenario.BalanceAsync(emily), Is.EqualTo((0L, 0L)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task A_partner_credit_offer_is_pending_for_the_shopper_until_the_order_qualifies()
    {
        var program = await Scenario.NewPartnerProgramAsync(Offer.Credit(400), new Commission(Amount: 600));
        var emily = Api.NewCustomerId("emily");
        var code = await Scenario.VanityCodeAsync(program, emily, prefix: "EMILY-");
        var bob = Api.NewCustomerId("bob");
        using var merchant = Api.Merchant();

        var redemption = await merchant.Redemptions.RedeemAsync(Scenario.Order(code, bob, 2000)).Created();
        Assert.That(redemption.Credit, Is.EqualTo(400));
        Assert.That(redemption.Rewards.Select(r => (r.CustomerId, r.Role, r.Amount)),
            Is.EquivalentTo(new[] { (emily, "referrer", 600L), (bob, "referee", 400L) }));
        Assert.That(await Scenario.BalanceAsync(bob), Is.EqualTo((0L, 400L)));

        await merchant.Redemptions.QualifyAsync(redemption.Id, redemption.OrderId!, 2000).Ok();

        Assert.That(await Scenario.BalanceAsync(bob), Is.EqualTo((400L, 0L)));
        Assert.That(await Scenario.BalanceAsync(emily), Is.EqualTo((600L, 0L)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task A_referral_friend_discount_replaces_the_friends_credit()
    {
        using var admin = Api.Admin();
        var program = (await admin.Programs.CreateProgramAsync(
            new NewProgram("Give 20% off, get 10", "USD", 1000, null, 0, RefereeOffer: Offer.PercentOffer(2000))).Created()).Id;
        var alice = Api.NewCustomerId("alice");
        var code = await Scenario.CodeForAsync(program, alice);
        var bob = Api.NewCustomerId("bob");
        using var merchant = Api.Merchant();

        await merchant.Redemptions.RedeemAsync(code, bob).Refused(HttpStatusCode.UnprocessableEntity, "order_required");
        var redemption = await merchant.Redemptions.RedeemAsync(Scenario.Order(code, bob, 5000)).Created();

        Assert.Multiple(() =>
        {
            Assert.That(redemption.Kind, Is.EqualTo("referral"));
            Assert.That(redemption.Discount, Is.EqualTo(1000));
            Assert.That(redemption.Credit, Is.Zero);
            Assert.That(redemption.Rewards, Is.EqualTo(new[] { new Reward(alice, "referrer", 1000, "USD", "pending", null) }));
        });
        await merchant.Redemptions.QualifyAsync(redemption.Id, redemption.OrderId!, 5000).Ok();
        Assert.That(await Scenario.BalanceAsync(alice), Is.EqualTo((1000L, 0L)));
        Assert.That(await Scenario.BalanceAsync(bob), Is.EqualTo((0L, 0L)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task A_shared_code_without_a_limit_is_never_written_by_a_redemption()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.AmountOffer(1000));
        var code = await Scenario.VanityCodeAsync(program, prefix: "WELCOME-");
        using var merchant = Api.Merchant();

        for (var i = 0; i < 3; i++)
        {
            await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("c"), 2000)).Created();
        }

        const string Sql = "SELECT reward_count FROM referral_codes WHERE code = @code";
        Assert.That(await TestRun.Database.ScalarAsync<int>(Sql, Sql, new { code }), Is.Zero);
    }

    [Test]
    public async Task A_per_code_limit_set_later_counts_the_uses_made_before_it()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.AmountOffer(1000));
        var code = await Scenario.VanityCodeAsync(program, prefix: "WELCOME-");
        using var merchant = Api.Merchant();
        using var admin = Api.Admin();
        var first = await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("c"), 2000)).Created();
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("c"), 2000)).Created();
        await merchant.Redemptions.ReverseAsync(first.Id, "cancelled").Ok();
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("c"), 2000)).Created();

        await admin.Programs.UpdateProgramAsync(program, new(MaxRedemptionsPerCode: 3)).Ok();

        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("c"), 2000)).Created();
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("c"), 2000))
            .Refused(HttpStatusCode.UnprocessableEntity, "code_exhausted");
    }

    [Test]
    public async Task A_redemption_with_its_key_replays_and_an_order_uses_a_code_once()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.AmountOffer(1000));
        var code = await Scenario.VanityCodeAsync(program, prefix: "SPRING-");
        var checkout = Scenario.Order(code, Api.NewCustomerId("bob"), 2000);
        var key = "redeem-" + Guid.NewGuid();
        using var merchant = Api.Merchant();

        var first = await merchant.Redemptions.RedeemAsync(checkout, key);
        var replay = await merchant.Redemptions.RedeemAsync(checkout, key);

        Assert.That(first.Status, Is.EqualTo(HttpStatusCode.Created), first.Text);
        Assert.That(replay.Text, Is.EqualTo(first.Text));
        await merchant.Redemptions.RedeemAsync(checkout).Refused(HttpStatusCode.Conflict, "already_redeemed");
        await merchant.Redemptions.RedeemAsync(checkout with { CustomerId = Api.NewCustomerId("eve") })
            .Refused(HttpStatusCode.Conflict, "already_redeemed");
    }
}
