using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Codes;

/// <summary>GET /v1/codes/{code} with an order: redeem's checks and arithmetic, nothing recorded.</summary>
public sealed class DryRunTests
{
    [Test]
    public async Task A_dry_run_shows_the_discount_for_the_basket_and_records_nothing()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.PercentOffer(2500, maxDiscount: 500), maxRedemptionsPerCustomer: 1);
        var code = await Scenario.VanityCodeAsync(program, maxRedemptions: 1, prefix: "SPRING-");
        var bob = Api.NewCustomerId("bob");
        using var merchant = Api.Merchant();

        var checks = new List<CodeCheck>();
        for (var i = 0; i < 3; i++)
        {
            checks.Add(await merchant.Codes.CheckCodeAsync(new Checkout(code.ToLowerInvariant(), bob, OrderAmount: 1000, Currency: "USD")).Ok());
        }
        var redemption = await merchant.Redemptions.RedeemAsync(Scenario.Order(code, bob, 1000)).Created();

        Assert.That(checks, Has.All.EqualTo(new CodeCheck(code, program, null, true, null, "promo", 250, 0)));
        Assert.That(redemption.Discount, Is.EqualTo(250));
    }

    [Test]
    public async Task Without_an_order_amount_the_discount_is_unknown_and_the_minimum_is_not_checked()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.PercentOffer(1000), minimumOrderAmount: 5000);
        var code = await Scenario.VanityCodeAsync(program);
        using var merchant = Api.Merchant();

        var check = await merchant.Codes.CheckCodeAsync(code).Ok();
        var small = await merchant.Codes.CheckCodeAsync(new Checkout(code, Api.NewCustomerId("bob"), OrderAmount: 4999)).Ok();

        Assert.That((check.Valid, check.Discount, check.Kind), Is.EqualTo((true, (long?)null, "promo")));
        Assert.That((small.Valid, small.Reason), Is.EqualTo((false, "order_below_minimum")));
    }

    [Test]
    public async Task A_dry_run_gives_the_reason_redeem_would_refuse()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.Credit(2500), maxRedemptionsPerCustomer: 1, newCustomersOnly: true);
        var code = await Scenario.VanityCodeAsync(program, prefix: "GIFT-");
        var bob = Api.NewCustomerId("bob");
        using var merchant = Api.Merchant();

        async Task<string?> ReasonFor(Checkout checkout) => (await merchant.Codes.CheckCodeAsync(checkout).Ok()).Reason;

        var fresh = await merchant.Codes.CheckCodeAsync(new Checkout(code, bob)).Ok();
        Assert.That((fresh.Valid, fresh.Discount, fresh.Credit), Is.EqualTo((true, (long?)0, 2500L)));
        Assert.That(await ReasonFor(new Checkout(code, bob, Currency: "EUR")), Is.EqualTo("currency_mismatch"));
        Assert.That(await ReasonFor(new Checkout(code, bob, CustomerOrderCount: 3)), Is.EqualTo("not_new_customer"));
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, bob, 100)).Created();
        Assert.That(await ReasonFor(new Checkout(code, bob)), Is.EqualTo("customer_limit_reached"));
    }

    [Test]
    public async Task A_dry_run_of_a_partner_code_by_its_owner_is_self_referral()
    {
        var program = await Scenario.NewPartnerProgramAsync(Offer.AmountOffer(1000), new Commission(Amount: 500));
        var emily = Api.NewCustomerId("emily");
        var code = await Scenario.VanityCodeAsync(program, emily);
        using var merchant = Api.Merchant();

        var own = await merchant.Codes.CheckCodeAsync(new Checkout(code, emily, OrderAmount: 700)).Ok();
        var other = await merchant.Codes.CheckCodeAsync(new Checkout(code, Api.NewCustomerId("bob"), OrderAmount: 700)).Ok();

        Assert.That((own.Valid, own.Reason, own.OwnerId), Is.EqualTo((false, "self_referral", emily)));
        Assert.That((other.Valid, other.Kind, other.Discount, other.Credit), Is.EqualTo((true, "partner", (long?)700, 0L)));
    }

    [Test]
    public async Task A_dry_run_of_an_exhausted_or_expired_code_says_so()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.AmountOffer(100));
        var exhausted = await Scenario.VanityCodeAsync(program, maxRedemptions: 1);
        var expired = await Scenario.VanityCodeAsync(program, expiresAt: DateTimeOffset.UtcNow.AddSeconds(-1));
        using var merchant = Api.Merchant();
        await merchant.Redemptions.RedeemAsync(Scenario.Order(exhausted, Api.NewCustomerId("bob"), 100)).Created();

        Assert.That((await merchant.Codes.CheckCodeAsync(exhausted).Ok()).Reason, Is.EqualTo("code_exhausted"));
        Assert.That((await merchant.Codes.CheckCodeAsync(expired).Ok()).Reason, Is.EqualTo("code_expired"));
    }

    [Test]
    public async Task Dry_run_arguments_outside_their_rules_are_refused()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.AmountOffer(100));
        var code = await Scenario.VanityCodeAsync(program);
        using var merchant = Api.Merchant();

        await merchant.Codes.CheckCodeAsync(new Checkout(code, "bob", OrderAmount: -1)).Refused(HttpStatusCode.BadRequest, "validation_failed");
        await merchant.Codes.CheckCodeAsync(new Checkout(code, "bob", Currency: "usd")).Refused(HttpStatusCode.BadRequest, "validation_failed");
        await merchant.Codes.CheckCodeAsync(new Checkout(code, "bob", CustomerOrderCount: -1)).Refused(HttpStatusCode.BadRequest, "validation_failed");
    }
}
