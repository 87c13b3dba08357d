using System.Net;
using System.Security.Cryptography;
using System.Text;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Links;

/// <summary>A redemption records its click: the shop's clickId, or else the click the customer claimed for that code.</summary>
public sealed class ClickAttributionTests
{
    [Test]
    public async Task A_redemption_records_the_click_the_shop_names_on_both_redeem_paths()
    {
        var referral = await Scenario.NewProgramAsync();
        var referralCode = await Scenario.CodeForAsync(referral, Api.NewCustomerId("alice"));
        var referralClick = await Clicks.InsertAsync(referralCode, referral, DateTimeOffset.UtcNow.AddMinutes(-5));
        var promo = await Scenario.NewPromoProgramAsync(Offer.PercentOffer(1000));
        var promoCode = await Scenario.VanityCodeAsync(promo);
        var promoClick = await Clicks.InsertAsync(promoCode, promo, DateTimeOffset.UtcNow.AddMinutes(-5), platform: "android");
        using var merchant = Api.Merchant();

        var referred = await merchant.Redemptions.RedeemAsync(new Checkout(referralCode, Api.NewCustomerId("bob"), ClickId: referralClick)).Created();
        var promoted = await merchant.Redemptions.RedeemAsync(
            Scenario.Order(promoCode, Api.NewCustomerId("carol"), 5000) with { ClickId = promoClick }).Created();

        Assert.Multiple(async () =>
        {
            Assert.That(referred.ClickId, Is.EqualTo(referralClick));
            Assert.That(promoted.ClickId, Is.EqualTo(promoClick));
            Assert.That((await merchant.Redemptions.GetRedemptionAsync(referred.Id).Ok()).ClickId, Is.EqualTo(referralClick));
        });
    }

    [Test]
    public async Task A_click_id_that_names_no_click_of_the_code_is_refused_and_nothing_is_recorded()
    {
        var program = await Scenario.NewProgramAsync(maxRewardsPerReferrer: 1);
        var code = await Scenario.CodeForAsync(program, Api.NewCustomerId("alice"));
        var otherCode = await Scenario.CodeForAsync(program, Api.NewCustomerId("dave"));
        var otherCodesClick = await Clicks.InsertAsync(otherCode, program, DateTimeOffset.UtcNow.AddMinutes(-1));
        var friend = Api.NewCustomerId("bob");
        using var merchant = Api.Merchant();

        await merchant.Redemptions.RedeemAsync(new Checkout(code, friend, ClickId: Guid.CreateVersion7()))
            .Refused(HttpStatusCode.UnprocessableEntity, "click_not_found");
        await merchant.Redemptions.RedeemAsync(new Checkout(code, friend, ClickId: otherCodesClick))
            .Refused(HttpStatusCode.UnprocessableEntity, "click_not_found");
        // The referrer's one reward is still there to take: the refusals took no use of the code.
        var redemption = await merchant.Redemptions.RedeemAsync(new Checkout(code, friend)).Created();

        Assert.That(redemption.ClickId, Is.Null);
    }

    [Test]
    public async Task Without_a_click_id_a_redemption_records_the_click_the_customer_claimed_for_that_code_only()
    {
        var program = await Scenario.NewProgramAsync();
        var code = await Scenario.CodeForAsync(program, Api.NewCustomerId("alice"));
        var otherCode = await Scenario.CodeForAsync(program, Api.NewCustomerId("dave"));
        var click = await Clicks.InsertAsync(code, program, DateTimeOffset.UtcNow.AddMinutes(-10), platform: "android");
        var friend = Api.NewCustomerId("bob");
        var stranger = Api.NewCustomerId("erin");
        using (var app = Api.As(Tokens.Customer(friend)))
        {
            await app.Attribution.ClaimAsync(click).Ok();
        }
        using (var app = Api.As(Tokens.Customer(stranger)))
        {
            await app.Attribution.ClaimAsync(click).Ok();
        }
        using var merchant = Api.Merchant();

        var claimed = await merchant.Redemptions.RedeemAsync(new Checkout(code, friend)).Created();
        var otherCodes = await merchant.Redemptions.RedeemAsync(new Checkout(otherCode, stranger)).Created();

        Assert.Multiple(() =>
        {
            Assert.That(claimed.ClickId, Is.EqualTo(click));
            Assert.That(otherCodes.ClickId, Is.Null, "a claim of another code says nothing about this redemption");
        });
    }

    [Test]
    public async Task A_click_id_given_wins_over_the_claimed_click()
    {
        var program = await Scenario.NewProgramAsync();
        var code = await Scenario.CodeForAsync(program, Api.NewCustomerId("alice"));
        var claimedClick = await Clicks.InsertAsync(code, program, DateTimeOffset.UtcNow.AddMinutes(-10));
        var namedClick = await Clicks.InsertAsync(code, program, DateTimeOffset.UtcNow.AddMinutes(-5));
        var friend = Api.NewCustomerId("bob");
        using (var app = Api.As(Tokens.Customer(friend)))
        {
            await app.Attribution.ClaimAsync(claimedClick).Ok();
        }
        using var merchant = Api.Merchant();

        var redemption = await merchant.Redemptions.RedeemAsync(new Checkout(code, friend, ClickId: namedClick)).Created();

        Assert.That(redemption.ClickId, Is.EqualTo(namedClick));
    }

    /// <summary>
    /// A key stored by the release before clickId: its request hash is of the request as that release serialized it
    /// (no ClickId property), and its outcome has no click_id. The same body again replays it.
    /// </summary>
    [Test]
    public async Task An_idempotency_key_stored_before_click_ids_existed_still_replays_its_redemption()
    {
        var program = await Scenario.NewProgramAsync();
        var code = await Scenario.CodeForAsync(program, Api.NewCustomerId("alice"));
        var friend = Api.NewCustomerId("bob");
        var key = "before-clicks-" + Guid.NewGuid().ToString("N");
        using var merchant = Api.Merchant();
        var first = await merchant.Redemptions.RedeemAsync(code, friend, key);
        var oldBody = $$"""{"Code":"{{code}}","CustomerId":"{{friend}}","OrderId":null,"OrderAmount":null,"Currency":null,"CustomerOrderCount":null}""";
        var oldHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"Redeem\n\n{oldBody}")));
        var rewritten = await TestRun.Database.ExecuteAsync(
            "UPDATE idempotency_keys SET outcome = (outcome::jsonb - 'click_id')::text, request_hash = @oldHash WHERE caller_id = 'test-merchant' AND key = @key",
            "UPDATE dbo.idempotency_keys SET outcome = JSON_MODIFY(outcome, '$.click_id', NULL), request_hash = @oldHash WHERE caller_id = 'test-merchant' AND [key] = @key",
            new { key, oldHash });

        var replay = await merchant.Redemptions.RedeemAsync(code, friend, key);

        Assert.Multiple(() =>
        {
            Assert.That(rewritten, Is.EqualTo(1));
            Assert.That(replay.Created().ClickId, Is.Null);
            Assert.That(replay.Text, Is.EqualTo(first.Text));
        });
    }
}
