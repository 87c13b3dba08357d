using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Codes;

/// <summary>POST /v1/programs/{programId}/codes: an admin's vanity code (EMILY10).</summary>
public sealed class VanityCodeTests
{
    [Test]
    public async Task A_vanity_code_is_stored_upper_case_and_found_in_any_case()
    {
        var program = await Scenario.NewProgramAsync();
        var emily = Api.NewCustomerId("emily");
        var typed = Scenario.NewVanityCode("emily-").ToLowerInvariant();
        using var admin = Api.Admin();
        using var merchant = Api.Merchant();

        var response = await admin.Codes.CreateCodeAsync(program, new NewCode(typed, emily, MaxRedemptions: 50));
        var code = response.Created();
        var check = await merchant.Codes.CheckCodeAsync(typed, Api.NewCustomerId("bob")).Ok();

        Assert.Multiple(() =>
        {
            Assert.That(code.Code, Is.EqualTo(typed.ToUpperInvariant()));
            Assert.That(response.Location.OriginalString, Is.EqualTo($"/v1/codes/{code.Code}"));
            Assert.That(code.ProgramId, Is.EqualTo(program));
            Assert.That(code.OwnerId, Is.EqualTo(emily));
            Assert.That(code.Source, Is.EqualTo("vanity"));
            Assert.That(code.Status, Is.EqualTo("active"));
            Assert.That(code.MaxRedemptions, Is.EqualTo(50));
            Assert.That(code.ExpiresAt, Is.Null);
            Assert.That(code.BatchId, Is.Null);
            Assert.That(check.Valid, Is.True);
            Assert.That(check.Code, Is.EqualTo(code.Code));
            Assert.That(check.Kind, Is.EqualTo("referral"));
        });
    }

    [Test]
    public async Task A_vanity_referral_code_rewards_its_owner()
    {
        var program = await Scenario.NewProgramAsync(referrerReward: 700, refereeReward: 300);
        var emily = Api.NewCustomerId("emily");
        var code = await Scenario.VanityCodeAsync(program, emily);
        var bob = Api.NewCustomerId("bob");

        var redemption = await Scenario.RedeemAsync(code.ToLowerInvariant(), bob);

        Assert.That(redemption.ReferrerId, Is.EqualTo(emily));
        Assert.That(await Scenario.BalanceAsync(emily), Is.EqualTo((0L, 700L)));
        Assert.That(await Scenario.BalanceAsync(bob), Is.EqualTo((0L, 300L)));
    }

    [Test]
    public async Task A_taken_code_is_refused_in_any_case_and_any_program()
    {
        var program = await Scenario.NewProgramAsync();
        var other = await Scenario.NewProgramAsync();
        var code = await Scenario.VanityCodeAsync(program, Api.NewCustomerId("emily"));
        using var admin = Api.Admin();

        await admin.Codes.CreateCodeAsync(program, new NewCode(code, Api.NewCustomerId("x")))
            .Refused(HttpStatusCode.Conflict, "code_taken");
        await admin.Codes.CreateCodeAsync(other, new NewCode(code.ToLowerInvariant(), Api.NewCustomerId("x")))
            .Refused(HttpStatusCode.Conflict, "code_taken");
    }

    [Test]
    public async Task A_personal_code_cannot_be_taken_as_a_vanity_code()
    {
        var program = await Scenario.NewProgramAsync();
        var personal = await Scenario.CodeForAsync(program, Api.NewCustomerId("alice"));
        using var admin = Api.Admin();

        await admin.Codes.CreateCodeAsync(program, new NewCode(personal, Api.NewCustomerId("x")))
            .Refused(HttpStatusCode.Conflict, "code_taken");
    }

    [TestCase("T3ST")]
    [TestCase("my-test-code")]
    [TestCase("CONTEST")]
    [TestCase("ADM1N-10")]
    [TestCase("FR33-M0N3Y")]
    [TestCase("free-money")]
    [TestCase("nu-ll")]
    public async Task A_code_with_a_word_on_the_default_deny_list_is_not_allowed(string code)
    {
        var program = await Scenario.NewProgramAsync();
        using var admin = Api.Admin();

        await admin.Codes.CreateCodeAsync(program, new NewCode(code + Scenario.NewVanityCode("-"), Api.NewCustomerId("x")))
            .Refused(HttpStatusCode.UnprocessableEntity, "code_not_allowed");
    }

    [Test]
    public async Task A_configured_deny_list_replaces_the_default()
    {
        var path = Path.Combine(Path.GetTempPath(), $"deny-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, "# a brand's own list\nRIVAL   # the competitor\n\n");
        try
        {
            await using var service = Api.ServiceWith("Codes:DenyListPath", path);
            using var admin = service.As(Tokens.Admin);
            var program = await Scenario.NewProgramAsync();

            await admin.Codes.CreateCodeAsync(program, new NewCode(Scenario.NewVanityCode("R1VAL-"), Api.NewCustomerId("x")))
                .Refused(HttpStatusCode.UnprocessableEntity, "code_not_allowed");
            // TEST is on the default list only.
            await admin.Codes.CreateCodeAsync(program, new NewCode(Scenario.NewVanityCode("TEST-"), Api.NewCustomerId("x"))).Created();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task A_deny_list_path_that_names_no_file_stops_the_service_at_start_up()
    {
        await using var service = Api.ServiceWith("Codes:DenyListPath", Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.txt"));

        var failure = Assert.Catch(() => service.CreateClient());

        Assert.That(failure!.ToString(), Does.Contain("Codes:DenyListPath"));
    }

    [TestCase("AB")]
    [TestCase("EMILY_10")]
    [TestCase("EMILY 10")]
    [TestCase("ABCDEFGHJKMNPQRSTUVWXYZABCDEFGHJK")]
    public async Task A_code_outside_the_vanity_rule_is_refused_by_validation(string code)
    {
        var program = await Scenario.NewProgramAsync();
        using var admin = Api.Admin();

        var problem = await admin.Codes.CreateCodeAsync(program, new NewCode(code, Api.NewCustomerId("x")))
            .Refused(HttpStatusCode.BadRequest, "validation_failed");

        Assert.That(problem.Errors!.Keys, Has.Some.EqualTo("Code").IgnoreCase);
    }

    [Test]
    public async Task A_referral_code_needs_an_owner()
    {
        var program = await Scenario.NewProgramAsync();
        using var admin = Api.Admin();

        await admin.Codes.CreateCodeAsync(program, new NewCode(Scenario.NewVanityCode("VIP-")))
            .Refused(HttpStatusCode.UnprocessableEntity, "owner_required");
    }

    [Test]
    public async Task A_partner_code_needs_an_owner_and_a_promo_code_takes_none()
    {
        var partner = await Scenario.NewPartnerProgramAsync(Offer.AmountOffer(100), new Commission(Amount: 100));
        var promo = await Scenario.NewPromoProgramAsync(Offer.AmountOffer(100));
        using var admin = Api.Admin();

        await admin.Codes.CreateCodeAsync(partner, new NewCode(Scenario.NewVanityCode("VIP-")))
            .Refused(HttpStatusCode.UnprocessableEntity, "owner_required");
        await admin.Codes.CreateCodeAsync(promo, new NewCode(Scenario.NewVanityCode("VIP-"), Api.NewCustomerId("emily")))
            .Refused(HttpStatusCode.UnprocessableEntity, "wrong_program_kind");
        var code = await admin.Codes.CreateCodeAsync(promo, new NewCode(Scenario.NewVanityCode("VIP-"))).Created();
        Assert.That(code.OwnerId, Is.Null);
    }

    [Test]
    public async Task A_code_for_an_unknown_program_is_not_found()
    {
        using var admin = Api.Admin();

        await admin.Codes.CreateCodeAsync(Guid.NewGuid(), new NewCode(Scenario.NewVanityCode("VIP-"), "x"))
            .Refused(HttpStatusCode.NotFound, "not_found");
    }

    [Test]
    public async Task Only_an_admin_creates_vanity_codes()
    {
        var program = await Scenario.NewProgramAsync();
        using var merchant = Api.Merchant();

        var response = await merchant.Codes.CreateCodeAsync(program, new NewCode(Scenario.NewVanityCode("VIP-"), "x"));

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task A_repeated_request_with_its_key_replays_the_first_answer()
    {
        var program = await Scenario.NewProgramAsync();
        var request = new NewCode(Scenario.NewVanityCode("VIP-"), Api.NewCustomerId("emily"), ExpiresAt: DateTimeOffset.UtcNow.AddDays(30));
        var key = "vanity-" + Guid.NewGuid();
        using var admin = Api.Admin();

        var first = await admin.Codes.CreateCodeAsync(program, request, key);
        var second = await admin.Codes.CreateCodeAsync(program, request, key);

        Assert.That(first.Status, Is.EqualTo(HttpStatusCode.Created), first.Text);
        Assert.That(second.Status, Is.EqualTo(HttpStatusCode.Created), second.Text);
        Assert.That(second.Text, Is.EqualTo(first.Text));
        Assert.That(first.Created().ExpiresAt!.Value, Is.EqualTo(request.ExpiresAt!.Value).Within(TimeSpan.FromMilliseconds(1)));
    }
}
