using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Codes;

public sealed class CodeUpdateTests
{
    [Test]
    public async Task Patching_a_code_changes_each_field_given_and_leaves_the_others()
    {
        var program = await Scenario.NewProgramAsync();
        var owner = Api.NewCustomerId("owner");
        var code = await Scenario.CodeForAsync(program, owner);
        var expiry = new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.FromHours(-5)).AddTicks(1230);
        using var admin = Api.Admin();

        var disabled = await admin.Codes.UpdateCodeAsync(code.ToLowerInvariant(), new { status = "disabled" }).Ok();
        var limited = await admin.Codes.UpdateCodeAsync(code, new { maxRedemptions = 12 }).Ok();
        var expiring = await admin.Codes.UpdateCodeAsync(code, new { expiresAt = expiry }).Ok();
        var reactivated = await admin.Codes.UpdateCodeAsync(code, new { status = "active", maxRedemptions = 3 }).Ok();
        var unchanged = await admin.Codes.UpdateCodeAsync(code, new { }).Ok();
        var listed = (await admin.Codes.ListCodesAsync(program).Ok()).Data.Single();

        Assert.Multiple(() =>
        {
            Assert.That(disabled, Is.EqualTo(disabled with { Code = code, ProgramId = program, OwnerId = owner, Source = "personal", Status = "disabled", MaxRedemptions = null, ExpiresAt = null, BatchId = null }));
            Assert.That(limited, Is.EqualTo(disabled with { MaxRedemptions = 12 }));
            Assert.That(expiring, Is.EqualTo(limited with { ExpiresAt = expiry }));
            Assert.That(expiring.ExpiresAt!.Value.Offset, Is.EqualTo(TimeSpan.Zero), "answered in UTC");
            Assert.That(reactivated, Is.EqualTo(expiring with { Status = "active", MaxRedemptions = 3 }));
            Assert.That(unchanged, Is.EqualTo(reactivated));
            Assert.That(listed, Is.EqualTo(reactivated));
        });
    }

    [Test]
    public async Task Patching_an_unknown_code_is_code_not_found()
    {
        using var admin = Api.Admin();

        await admin.Codes.UpdateCodeAsync("NOSUCHCODE42", new { status = "disabled" }).Refused(HttpStatusCode.NotFound, "code_not_found");
        await admin.Codes.UpdateCodeAsync("not a code!", new { status = "disabled" }).Refused(HttpStatusCode.NotFound, "code_not_found");
    }

    [TestCase("""{"status":"paused"}""", "Status")]
    [TestCase("""{"maxRedemptions":0}""", "MaxRedemptions")]
    [TestCase("""{"maxRedemptions":-1}""", "MaxRedemptions")]
    [TestCase("""{"expiresAt":"tomorrow"}""", "expiresAt")]
    [TestCase("""{"maxRedemptions":null,"owner":"x"}""", "owner")]
    public async Task A_patch_with_a_bad_field_is_refused_and_changes_nothing(string body, string field)
    {
        var program = await Scenario.NewProgramAsync();
        var code = await Scenario.CodeForAsync(program, Api.NewCustomerId("owner"));
        using var client = Api.Client(Tokens.Admin);
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        var response = await client.PatchAsync(new Uri($"/v1/codes/{code}", UriKind.Relative), content);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name),
            Has.Some.EqualTo(field).IgnoreCase.Or.Some.EndsWith(field), problem.ToString());
        using var admin = Api.Admin();
        var listed = (await admin.Codes.ListCodesAsync(program).Ok()).Data.Single();
        Assert.That(listed with { CreatedAt = default }, Is.EqualTo(listed with { Status = "active", MaxRedemptions = null, ExpiresAt = null, CreatedAt = default }));
    }

    [Test]
    public async Task Only_an_admin_may_patch_a_code()
    {
        var program = await Scenario.NewProgramAsync();
        var code = await Scenario.CodeForAsync(program, Api.NewCustomerId("owner"));
        using var merchant = Api.Merchant();

        var response = await merchant.Codes.UpdateCodeAsync(code, new { status = "disabled" });

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task A_disabled_code_is_refused_at_redemption_until_it_is_active_again()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.AmountOffer(500));
        var code = await Scenario.VanityCodeAsync(program, prefix: "OFF-");
        using var admin = Api.Admin();
        using var merchant = Api.Merchant();

        await admin.Codes.UpdateCodeAsync(code, new { status = "disabled" }).Ok();
        await merchant.Redemptions.RedeemAsync(Order(code)).Refused(HttpStatusCode.UnprocessableEntity, "code_disabled");
        await admin.Codes.UpdateCodeAsync(code, new { status = "active" }).Ok();
        var redemption = await merchant.Redemptions.RedeemAsync(Order(code)).Created();

        Assert.That(redemption.Discount, Is.EqualTo(500));
    }

    [Test]
    public async Task A_code_whose_expiry_has_passed_is_refused_as_expired()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.AmountOffer(500));
        var code = await Scenario.VanityCodeAsync(program, prefix: "OFF-");
        using var admin = Api.Admin();
        using var merchant = Api.Merchant();

        await admin.Codes.UpdateCodeAsync(code, new { expiresAt = DateTimeOffset.UtcNow.AddSeconds(-1) }).Ok();
        await merchant.Redemptions.RedeemAsync(Order(code)).Refused(HttpStatusCode.UnprocessableEntity, "code_expired");
        await admin.Codes.UpdateCodeAsync(code, new { expiresAt = DateTimeOffset.UtcNow.AddDays(1) }).Ok();
        await merchant.Redemptions.RedeemAsync(Order(code)).Created();
    }

    [Test]
    public async Task A_limit_set_after_three_uses_of_an_unlimited_code_allows_exactly_the_rest()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.PercentOffer(1000));
        var code = await Scenario.VanityCodeAsync(program, prefix: "OFF-");
        using var admin = Api.Admin();
        using var merchant = Api.Merchant();
        var uses = new List<Redemption>();
        for (var i = 0; i < 4; i++)
        {
            uses.Add(await merchant.Redemptions.RedeemAsync(Order(code)).Created());
        }
        await merchant.Redemptions.ReverseAsync(uses[0].Id, "order cancelled").Ok(); // three live uses

        var limited = await admin.Codes.UpdateCodeAsync(code, new { maxRedemptions = 5 }).Ok();
        var more = new List<Redemption>();
        for (var i = 0; i < 2; i++)
        {
            more.Add(await merchant.Redemptions.RedeemAsync(Order(code)).Created());
        }
        await merchant.Redemptions.RedeemAsync(Order(code)).Refused(HttpStatusCode.UnprocessableEntity, "code_exhausted");
        // A use given back may be used again; a repeated PATCH recounts nothing twice.
        await admin.Codes.UpdateCodeAsync(code, new { maxRedemptions = 5 }).Ok();
        await merchant.Redemptions.ReverseAsync(more[0].Id, "order cancelled").Ok();
        await merchant.Redemptions.RedeemAsync(Order(code)).Created();
        await merchant.Redemptions.RedeemAsync(Order(code)).Refused(HttpStatusCode.UnprocessableEntity, "code_exhausted");
        // Raising the limit counts from the uses kept since.
        await admin.Codes.UpdateCodeAsync(code, new { maxRedemptions = 6 }).Ok();
        await merchant.Redemptions.RedeemAsync(Order(code)).Created();
        await merchant.Redemptions.RedeemAsync(Order(code)).Refused(HttpStatusCode.UnprocessableEntity, "code_exhausted");

        Assert.That(limited.MaxRedemptions, Is.EqualTo(5));
    }

    [Test]
    public async Task A_per_code_limit_set_on_the_program_after_three_uses_allows_exactly_the_rest()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.AmountOffer(100));
        var code = await Scenario.VanityCodeAsync(program, prefix: "OFF-");
        var own = await Scenario.VanityCodeAsync(program, maxRedemptions: 1, prefix: "OWN-");
        using var admin = Api.Admin();
        using var merchant = Api.Merchant();
        for (var i = 0; i < 3; i++)
        {
            await merchant.Redemptions.RedeemAsync(Order(code)).Created();
        }

        await admin.Programs.UpdateProgramAsync(program, new ProgramChange(MaxRedemptionsPerCode: 4)).Ok();

        await merchant.Redemptions.RedeemAsync(Order(code)).Created();
        await merchant.Redemptions.RedeemAsync(Order(code)).Refused(HttpStatusCode.UnprocessableEntity, "code_exhausted");
        // A code with a limit of its own keeps it.
        await merchant.Redemptions.RedeemAsync(Order(own)).Created();
        await merchant.Redemptions.RedeemAsync(Order(own)).Refused(HttpStatusCode.UnprocessableEntity, "code_exhausted");
    }

    /// <summary>A new customer's order of 5000 with the code.</summary>
    private static Checkout Order(string code) =>
        new(code, Api.NewCustomerId("shopper"), "order-" + Guid.NewGuid().ToString("N")[..12], 5000, "USD");
}
