using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Redemptions;

/// <summary>Every refusal of POST /v1/redemptions at checkout, each with its stable code.</summary>
public sealed class CheckoutRefusalTests
{
    private static async Task<Problem> RefusedAsync(Checkout checkout, string code, HttpStatusCode status = HttpStatusCode.UnprocessableEntity)
    {
        using var merchant = Api.Merchant();
        return await merchant.Redemptions.RedeemAsync(checkout).Refused(status, code);
    }

    private static async Task<string> PromoCodeAsync(
        int? maxRedemptionsPerCustomer = null, long? minimumOrderAmount = null, bool? newCustomersOnly = null,
        DateTimeOffset? startsAt = null, DateTimeOffset? endsAt = null, int? maxRedemptions = null, DateTimeOffset? expiresAt = null)
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.AmountOffer(500), maxRedemptionsPerCustomer: maxRedemptionsPerCustomer,
            minimumOrderAmount: minimumOrderAmount, newCustomersOnly: newCustomersOnly, startsAt: startsAt, endsAt: endsAt);
        return await Scenario.VanityCodeAsync(program, maxRedemptions: maxRedemptions, expiresAt: expiresAt, prefix: "PROMO-");
    }

    [Test]
    public async Task An_unknown_code_is_not_found() =>
        await RefusedAsync(Scenario.Order("NO-SUCH-CODE", Api.NewCustomerId("bob"), 1000), "code_not_found", HttpStatusCode.NotFound);

    [Test]
    public async Task A_disabled_code_is_refused()
    {
        var code = await PromoCodeAsync();
        // PATCH /v1/codes/{code} belongs to the codes feature; the same statement on both engines disables it here.
        const string Sql = "UPDATE referral_codes SET status = 'disabled' WHERE code = @code";
        Assert.That(await TestRun.Database.ExecuteAsync(Sql, Sql, new { code }), Is.EqualTo(1));

        await RefusedAsync(Scenario.Order(code, Api.NewCustomerId("bob"), 1000), "code_disabled");
    }

    [Test]
    public async Task An_expired_code_is_refused()
    {
        var code = await PromoCodeAsync(expiresAt: DateTimeOffset.UtcNow.AddMinutes(-1));
        await RefusedAsync(Scenario.Order(code, Api.NewCustomerId("bob"), 1000), "code_expired");
    }

    [Test]
    public async Task A_code_of_a_paused_program_is_inactive()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.AmountOffer(500));
        var code = await Scenario.VanityCodeAsync(program);
        using var admin = Api.Admin();
        await admin.Programs.UpdateProgramAsync(program, new(Status: "paused")).Ok();

        await RefusedAsync(Scenario.Order(code, Api.NewCustomerId("bob"), 1000), "code_inactive");
    }

    [Test]
    public async Task A_program_past_its_end_has_ended()
    {
        var code = await PromoCodeAsync(startsAt: DateTimeOffset.UtcNow.AddDays(-2), endsAt: DateTimeOffset.UtcNow.AddMinutes(-1));
        await RefusedAsync(Scenario.Order(code, Api.NewCustomerId("bob"), 1000), "program_ended");
    }

    [Test]
    public async Task A_referral_program_ended_by_an_admin_answers_program_ended()
    {
        var program = await Scenario.NewProgramAsync();
        var code = await Scenario.CodeForAsync(program, Api.NewCustomerId("alice"));
        using var admin = Api.Admin();
        await admin.Programs.UpdateProgramAsync(program, new(Status: "ended")).Ok();

        // code_inactive until promo codes came; an ended program is now told apart from a paused one.
        await RefusedAsync(new Checkout(code, Api.NewCustomerId("bob")), "program_ended");
    }

    [Test]
    public async Task A_program_before_its_start_has_not_started()
    {
        var code = await PromoCodeAsync(startsAt: DateTimeOffset.UtcNow.AddDays(1));
        await RefusedAsync(Scenario.Order(code, Api.NewCustomerId("bob"), 1000), "program_not_started");
    }

    [Test]
    public async Task An_order_in_another_currency_is_refused()
    {
        var code = await PromoCodeAsync();
        await RefusedAsync(Scenario.Order(code, Api.NewCustomerId("bob"), 1000) with { Currency = "EUR" }, "currency_mismatch");
        using var merchant = Api.Merchant();
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("bob"), 1000) with { Currency = "USD" }).Created();
    }

    [Test]
    public async Task A_promo_code_needs_the_order()
    {
        var code = await PromoCodeAsync();
        await RefusedAsync(new Checkout(code, Api.NewCustomerId("bob")), "order_required");
        await RefusedAsync(new Checkout(code, Api.NewCustomerId("bob"), OrderId: Scenario.NewOrderId()), "order_required");
        await RefusedAsync(new Checkout(code, Api.NewCustomerId("bob"), OrderAmount: 1000), "order_required");
    }

    [Test]
    public async Task An_order_below_the_minimum_is_refused()
    {
        var code = await PromoCodeAsync(minimumOrderAmount: 5000);
        using var merchant = Api.Merchant();

        await RefusedAsync(Scenario.Order(code, Api.NewCustomerId("bob"), 4999), "order_below_minimum");
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("bob"), 5000)).Created();
    }

    [Test]
    public async Task A_partner_using_their_own_code_is_refused_as_self_referral()
    {
        var program = await Scenario.NewPartnerProgramAsync(Offer.PercentOffer(1000), new Commission(Amount: 100));
        var emily = Api.NewCustomerId("emily");
        var code = await Scenario.VanityCodeAsync(program, emily);

        await RefusedAsync(Scenario.Order(code, emily, 1000), "self_referral");
    }

    [Test]
    public async Task A_customer_with_earlier_orders_is_not_new()
    {
        var code = await PromoCodeAsync(newCustomersOnly: true);
        using var merchant = Api.Merchant();

        await RefusedAsync(Scenario.Order(code, Api.NewCustomerId("bob"), 1000) with { CustomerOrderCount = 1 }, "not_new_customer");
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("bob"), 1000) with { CustomerOrderCount = 0 }).Created();
    }

    [Test]
    public async Task A_customer_whose_order_this_service_saw_qualify_is_not_new()
    {
        var code = await PromoCodeAsync(newCustomersOnly: true);
        var referral = await Scenario.NewProgramAsync();
        var bob = Api.NewCustomerId("bob");
        var redemption = await Scenario.RedeemAsync(await Scenario.CodeForAsync(referral, Api.NewCustomerId("alice")), bob);
        using var merchant = Api.Merchant();
        Assert.That((await merchant.Codes.CheckCodeAsync(new Checkout(code, bob)).Ok()).Valid, Is.True);

        await Scenario.QualifyAsync(redemption.Id);

        await RefusedAsync(Scenario.Order(code, bob, 1000), "not_new_customer");
    }

    [Test]
    public async Task A_customer_past_the_programs_limit_is_refused()
    {
        var code = await PromoCodeAsync(maxRedemptionsPerCustomer: 2);
        var bob = Api.NewCustomerId("bob");
        using var merchant = Api.Merchant();
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, bob, 1000)).Created();
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, bob, 1000)).Created();

        await RefusedAsync(Scenario.Order(code, bob, 1000), "customer_limit_reached");
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("carol"), 1000)).Created();
    }

    [Test]
    public async Task A_code_past_its_limit_is_exhausted()
    {
        var code = await PromoCodeAsync(maxRedemptions: 1);
        using var merchant = Api.Merchant();
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("bob"), 1000)).Created();

        await RefusedAsync(Scenario.Order(code, Api.NewCustomerId("carol"), 1000), "code_exhausted");
    }

    [Test]
    public async Task The_customer_limit_is_told_before_the_code_limit()
    {
        var code = await PromoCodeAsync(maxRedemptionsPerCustomer: 1, maxRedemptions: 1);
        var bob = Api.NewCustomerId("bob");
        using var merchant = Api.Merchant();
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, bob, 1000)).Created();

        await RefusedAsync(Scenario.Order(code, bob, 1000), "customer_limit_reached");
        await RefusedAsync(Scenario.Order(code, Api.NewCustomerId("carol"), 1000), "code_exhausted");
    }

    [Test]
    public async Task A_refused_redemption_uses_up_nothing()
    {
        var code = await PromoCodeAsync(maxRedemptionsPerCustomer: 1, maxRedemptions: 2);
        var bob = Api.NewCustomerId("bob");
        var checkout = Scenario.Order(code, bob, 1000);
        using var merchant = Api.Merchant();
        await merchant.Redemptions.RedeemAsync(checkout).Created();

        // The same order again is refused after the use was claimed: the claim is given back.
        await RefusedAsync(checkout with { CustomerId = Api.NewCustomerId("eve") }, "already_redeemed", HttpStatusCode.Conflict);

        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("carol"), 1000)).Created();
        await RefusedAsync(Scenario.Order(code, Api.NewCustomerId("dave"), 1000), "code_exhausted");
    }

    [Test]
    public async Task Order_fields_outside_their_rules_are_refused_by_validation()
    {
        var code = await PromoCodeAsync();
        var bob = Api.NewCustomerId("bob");

        await RefusedAsync(Scenario.Order(code, bob, -1), "validation_failed", HttpStatusCode.BadRequest);
        await RefusedAsync(Scenario.Order(code, bob, 1_000_000_000_001), "validation_failed", HttpStatusCode.BadRequest);
        await RefusedAsync(Scenario.Order(code, bob, 1000) with { Currency = "usd" }, "validation_failed", HttpStatusCode.BadRequest);
        await RefusedAsync(Scenario.Order(code, bob, 1000) with { CustomerOrderCount = -1 }, "validation_failed", HttpStatusCode.BadRequest);
    }
}
