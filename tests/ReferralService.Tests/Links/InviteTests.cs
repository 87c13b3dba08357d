using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Links;

/// <summary>GET /v1/customers/{customerId}/invite: the customer's code, its links and a ready share text.</summary>
internal sealed class InviteTests
{
    [Test]
    public async Task A_new_customer_gets_a_code_made_and_asking_again_gives_the_same_code()
    {
        var program = await Scenario.NewProgramAsync();
        var alice = Api.NewCustomerId("alice");
        using var merchant = Api.Merchant();

        var first = await merchant.Invites.GetInviteAsync(alice, program).Ok();
        var again = await merchant.Invites.GetInviteAsync(alice, program).Ok();
        var viaPut = await merchant.Codes.GetOrCreateCodeAsync(program, alice).Ok();

        Assert.Multiple(() =>
        {
            Assert.That(first.Code, Is.Not.Empty);
            Assert.That(again.Code, Is.EqualTo(first.Code));
            Assert.That(viaPut.Code, Is.EqualTo(first.Code), "the invite's code is the customer's referral code");
            Assert.That(first.CustomerId, Is.EqualTo(alice));
            Assert.That(first.ProgramId, Is.EqualTo(program));
        });
    }

    [Test]
    public async Task An_existing_code_is_the_one_the_invite_answers()
    {
        var program = await Scenario.NewProgramAsync();
        var bob = Api.NewCustomerId("bob");
        var code = await Scenario.CodeForAsync(program, bob);
        using var customer = Api.As(Tokens.Customer(bob));

        var invite = await customer.Invites.GetInviteAsync(bob, program).Ok();

        Assert.That(invite.Code, Is.EqualTo(code));
    }

    [Test]
    public async Task A_customer_token_gets_its_own_invite_only()
    {
        var program = await Scenario.NewProgramAsync();
        var carol = Api.NewCustomerId("carol");
        using var customer = Api.As(Tokens.Customer(carol));

        await customer.Invites.GetInviteAsync(carol, program).Ok();
        await customer.Invites.GetInviteAsync(Api.NewCustomerId("dave"), program).Refused(HttpStatusCode.NotFound, "not_found");
    }

    [Test]
    public async Task The_links_are_built_from_the_default_templates()
    {
        var program = await Scenario.NewProgramAsync();
        using var admin = Api.Admin();

        var invite = await admin.Invites.GetInviteAsync(Api.NewCustomerId("erin"), program).Ok();

        Assert.Multiple(() =>
        {
            Assert.That(invite.Links.ShareUrl, Is.EqualTo(new Uri("https://refer.example.com/r/" + invite.Code)));
            Assert.That(invite.Links.DeepLink, Is.Null, "neither the program nor the configuration has a deep link template");
            Assert.That(invite.Links.QrSvgUrl.IsAbsoluteUri, Is.True);
            Assert.That(invite.Links.QrSvgUrl.AbsolutePath, Is.EqualTo($"/v1/codes/{invite.Code}/qr"));
        });
    }

    [Test]
    public async Task The_links_follow_the_configured_templates_and_a_programs_own_deep_link_wins()
    {
        await using var service = Api.ServiceWith(
            ("Links:BaseUrl", "https://go.example.test/"),
            ("Links:ShareUrlTemplate", "{baseUrl}/i/{code}?src=app"),
            ("Links:DeepLinkTemplate", "myapp://invite?code={code}"));
        using var admin = service.As(Tokens.Admin);
        var plain = await admin.Programs.CreateProgramAsync(new NewProgram("Plain", "USD", 2000, 1000, null)).Created();
        var own = await admin.Programs.CreateProgramAsync(new NewProgram("Own", "USD", 2000, 1000, null,
            Links: new ProgramLinks(DeepLinkTemplate: "https://app.example.test/open/{code}"))).Created();

        var fromConfig = await admin.Invites.GetInviteAsync(Api.NewCustomerId("frank"), plain.Id).Ok();
        var fromProgram = await admin.Invites.GetInviteAsync(Api.NewCustomerId("gina"), own.Id).Ok();
        var viaPut = await admin.Codes.GetOrCreateCodeAsync(plain.Id, Api.NewCustomerId("hank")).Created();

        Assert.Multiple(() =>
        {
            Assert.That(fromConfig.Links.ShareUrl.AbsoluteUri, Is.EqualTo($"https://go.example.test/i/{fromConfig.Code}?src=app"));
            Assert.That(fromConfig.Links.DeepLink?.OriginalString, Is.EqualTo($"myapp://invite?code={fromConfig.Code}"));
            Assert.That(fromProgram.Links.DeepLink?.AbsoluteUri, Is.EqualTo($"https://app.example.test/open/{fromProgram.Code}"));
            Assert.That(viaPut.ShareUrl.AbsoluteUri, Is.EqualTo($"https://go.example.test/i/{viaPut.Code}?src=app"),
                "the referral-code PUT answers the same share URL");
        });
    }

    [TestCase("Links:ShareUrlTemplate", "/r/{code}")]
    [TestCase("Links:ShareUrlTemplate", "{baseUrl}/r/")]
    [TestCase("Links:DeepLinkTemplate", "javascript:open('{code}')")]
    public void A_template_that_makes_no_link_stops_the_service_at_start(string key, string template)
    {
        Assert.That(StartupFailure.Of((key, template)), Does.Contain("Links:ShareUrlTemplate"));
    }

    private static IEnumerable<TestCaseData> Offers()
    {
        yield return new TestCaseData(new NewProgram("Credit", "USD", 2000, 1000, null), "Get $10 in credit")
            .SetName("A referral program's friend credit in dollars");
        yield return new TestCaseData(new NewProgram("Percent", "EUR", 2000, null, null, RefereeOffer: Offer.PercentOffer(1500)),
            "Get 15% off your first order").SetName("A referral program's friend discount in percent");
        yield return new TestCaseData(new NewProgram("Amount", "EUR", 2000, null, null, RefereeOffer: Offer.AmountOffer(1050)),
            "Get €10.50 off your first order").SetName("A referral program's friend discount in euros and cents");
        yield return new TestCaseData(new NewProgram("Yen", "JPY", 500, 1000, null), "Get ¥1,000 in credit")
            .SetName("A referral program's friend credit in yen, which has no minor units");
        yield return new TestCaseData(new NewProgram("Capped", "USD", 2000, null, null, RefereeOffer: Offer.PercentOffer(1250, maxDiscount: 500)),
            "Get 12.5% off your first order (up to $5)").SetName("A capped percentage");
    }

    [TestCaseSource(nameof(Offers))]
    public async Task The_share_text_puts_the_friends_offer_in_words(NewProgram program, string offer)
    {
        using var admin = Api.Admin();
        var created = await admin.Programs.CreateProgramAsync(program).Created();

        var invite = await admin.Invites.GetInviteAsync(Api.NewCustomerId("ivy"), created.Id).Ok();

        Assert.Multiple(() =>
        {
            Assert.That(invite.Offer, Is.EqualTo(offer));
            Assert.That(invite.ShareText, Is.EqualTo($"{offer} with my code {invite.Code}: {invite.Links.ShareUrl.AbsoluteUri}"));
        });
    }

    [Test]
    public async Task A_partner_gets_their_newest_vanity_code_with_the_programs_offer()
    {
        var program = await Scenario.NewPartnerProgramAsync(Offer.AmountOffer(1000), new Commission(Amount: 300), currency: "EUR");
        var partner = Api.NewCustomerId("jill");
        await Scenario.VanityCodeAsync(program, partner, prefix: "OLD-");
        var newest = await Scenario.VanityCodeAsync(program, partner, prefix: "NEW-");
        using var customer = Api.As(Tokens.Customer(partner));

        var invite = await customer.Invites.GetInviteAsync(partner, program).Ok();

        Assert.Multiple(() =>
        {
            Assert.That(invite.Code, Is.EqualTo(newest));
            Assert.That(invite.Offer, Is.EqualTo("Get €10 off your order"));
        });
    }

    [Test]
    public async Task A_partner_without_a_code_has_no_invite()
    {
        var program = await Scenario.NewPartnerProgramAsync(Offer.AmountOffer(1000), new Commission(Amount: 300));
        using var merchant = Api.Merchant();

        await merchant.Invites.GetInviteAsync(Api.NewCustomerId("kim"), program).Refused(HttpStatusCode.NotFound, "not_found");
    }

    [Test]
    public async Task A_promo_program_has_no_personal_invites()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.Credit(500));
        using var merchant = Api.Merchant();

        await merchant.Invites.GetInviteAsync(Api.NewCustomerId("lee"), program).Refused(HttpStatusCode.UnprocessableEntity, "wrong_program_kind");
    }

    [Test]
    public async Task A_program_of_its_own_share_text_fills_in_its_placeholders()
    {
        using var admin = Api.Admin();
        var created = await admin.Programs.CreateProgramAsync(new NewProgram("Own text", "GBP", 2000, 500, null,
            Links: new ProgramLinks(ShareTextTemplate: "Use {code} at checkout. {offer}! {shareUrl} ({code})"))).Created();

        var invite = await admin.Invites.GetInviteAsync(Api.NewCustomerId("max"), created.Id).Ok();

        Assert.That(invite.ShareText,
            Is.EqualTo($"Use {invite.Code} at checkout. Get £5 in credit! {invite.Links.ShareUrl.AbsoluteUri} ({invite.Code})"));
    }

    [Test]
    public async Task A_disabled_personal_code_is_not_shared()
    {
        var program = await Scenario.NewProgramAsync();
        var olga = Api.NewCustomerId("olga");
        var code = await Scenario.CodeForAsync(program, olga);
        using var admin = Api.Admin();
        await admin.Codes.UpdateCodeAsync(code, new { status = "disabled" }).Ok();

        await admin.Invites.GetInviteAsync(olga, program).Refused(HttpStatusCode.UnprocessableEntity, "code_disabled");
    }

    [Test]
    public async Task A_paused_program_gives_no_invite_and_an_unknown_one_is_not_found()
    {
        var program = await Scenario.NewProgramAsync();
        var nina = Api.NewCustomerId("nina");
        using var admin = Api.Admin();
        await admin.Invites.GetInviteAsync(nina, program).Ok();
        await admin.Programs.UpdateProgramAsync(program, new ProgramChange(Status: "paused")).Ok();

        await admin.Invites.GetInviteAsync(nina, program).Refused(HttpStatusCode.UnprocessableEntity, "code_inactive");
        await admin.Invites.GetInviteAsync(nina, Guid.NewGuid()).Refused(HttpStatusCode.NotFound, "not_found");
        await admin.Invites.GetInviteAsync(nina, null).Refused(HttpStatusCode.BadRequest, "validation_failed");
    }
}
