using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Programs;

/// <summary>Programs' optional link settings: kept as written, checked before they are stored, merged field by field on PATCH.</summary>
internal sealed class ProgramLinkTests
{
    private static readonly ProgramLinks Full = new(
        LandingUrl: "https://shop.example.com/welcome?from=invite",
        IosAppStoreUrl: "https://apps.apple.com/app/id1234567890",
        AndroidPackage: "com.example.shop",
        DeepLinkTemplate: "myshop://invite?code={code}",
        ShareTextTemplate: "{offer} with my code {code}: {shareUrl}");

    [Test]
    public async Task A_program_keeps_its_link_settings_as_written()
    {
        using var admin = Api.Admin();

        var created = await admin.Programs.CreateProgramAsync(
            new NewProgram("Links", "USD", 2000, 1000, null, Links: Full)).Created();
        var read = await admin.Programs.GetProgramAsync(created.Id).Ok();

        Assert.Multiple(() =>
        {
            Assert.That(created.Links, Is.EqualTo(Full));
            Assert.That(read.Links, Is.EqualTo(Full));
        });
    }

    [Test]
    public async Task A_program_without_link_settings_answers_them_null()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.Credit(500));
        using var merchant = Api.Merchant();

        var read = await merchant.Programs.GetProgramAsync(program).Ok();

        Assert.That(read.Links, Is.EqualTo(new ProgramLinks()));
    }

    [Test]
    public async Task A_patch_sets_replaces_and_clears_each_setting_and_leaves_the_others()
    {
        var program = await Scenario.NewPartnerProgramAsync(Offer.AmountOffer(500), new Commission(Amount: 300));
        using var admin = Api.Admin();

        var set = await admin.Programs.UpdateProgramAsync(program, new ProgramChange(Links: Full)).Ok();
        var replaced = await admin.Programs.UpdateProgramAsync(program,
            new ProgramChange(Links: new ProgramLinks(LandingUrl: "http://localhost:3000/landing", AndroidPackage: "com.example.other"))).Ok();
        var cleared = await admin.Programs.PatchProgramAsync(program, new Dictionary<string, object?>
        {
            ["links"] = new Dictionary<string, object?> { ["iosAppStoreUrl"] = null, ["shareTextTemplate"] = null },
        }).Ok();
        var untouched = await admin.Programs.UpdateProgramAsync(program, new ProgramChange(Name: "Renamed")).Ok();
        var allCleared = await admin.Programs.PatchProgramAsync(program, new Dictionary<string, object?>
        {
            ["links"] = new Dictionary<string, object?>
            {
                ["landingUrl"] = null, ["iosAppStoreUrl"] = null, ["androidPackage"] = null, ["deepLinkTemplate"] = null,
                ["shareTextTemplate"] = null,
            },
        }).Ok();

        Assert.Multiple(() =>
        {
            Assert.That(set.Links, Is.EqualTo(Full));
            Assert.That(replaced.Links, Is.EqualTo(Full with { LandingUrl = "http://localhost:3000/landing", AndroidPackage = "com.example.other" }));
            Assert.That(cleared.Links, Is.EqualTo(Full with
            {
                LandingUrl = "http://localhost:3000/landing", AndroidPackage = "com.example.other", IosAppStoreUrl = null, ShareTextTemplate = null,
            }));
            Assert.That(untouched.Links, Is.EqualTo(cleared.Links), "a PATCH without links leaves them");
            Assert.That(allCleared.Links, Is.EqualTo(new ProgramLinks()));
        });
    }

    private static IEnumerable<TestCaseData> BadSettings()
    {
        yield return new TestCaseData(new ProgramLinks(LandingUrl: "javascript:alert(1)"), "links.landingUrl").SetName("A javascript: landing URL");
        yield return new TestCaseData(new ProgramLinks(LandingUrl: "data:text/html,<b>hi</b>"), "links.landingUrl").SetName("A data: landing URL");
        yield return new TestCaseData(new ProgramLinks(LandingUrl: "http://shop.example.com/"), "links.landingUrl").SetName("An http landing URL off localhost");
        yield return new TestCaseData(new ProgramLinks(LandingUrl: "/welcome"), "links.landingUrl").SetName("A relative landing URL");
        yield return new TestCaseData(new ProgramLinks(LandingUrl: "https://shop.example.com@evil.example/"), "links.landingUrl").SetName("A landing URL with a user name");
        yield return new TestCaseData(new ProgramLinks(LandingUrl: "https://shop.example.com/" + new string('a', 2000)), "links.landingUrl").SetName("A landing URL over 2000 characters");
        yield return new TestCaseData(new ProgramLinks(IosAppStoreUrl: "itms-apps://apps.apple.com/app/id1"), "links.iosAppStoreUrl").SetName("An App Store URL that is not https");
        yield return new TestCaseData(new ProgramLinks(AndroidPackage: "shop"), "links.androidPackage").SetName("A package of one part");
        yield return new TestCaseData(new ProgramLinks(AndroidPackage: "com.1example.shop"), "links.androidPackage").SetName("A package part starting with a digit");
        yield return new TestCaseData(new ProgramLinks(AndroidPackage: "com..shop"), "links.androidPackage").SetName("A package with an empty part");
        yield return new TestCaseData(new ProgramLinks(AndroidPackage: "com.example.shop-app"), "links.androidPackage").SetName("A package with a hyphen");
        yield return new TestCaseData(new ProgramLinks(DeepLinkTemplate: "myshop://invite"), "links.deepLinkTemplate").SetName("A deep link without {code}");
        yield return new TestCaseData(new ProgramLinks(DeepLinkTemplate: "javascript:go('{code}')"), "links.deepLinkTemplate").SetName("A javascript: deep link");
        yield return new TestCaseData(new ProgramLinks(DeepLinkTemplate: "http://shop.example.com/i/{code}"), "links.deepLinkTemplate").SetName("An http deep link");
        yield return new TestCaseData(new ProgramLinks(DeepLinkTemplate: "myshop://invite?code={code}&u={user}"), "links.deepLinkTemplate").SetName("A deep link with an unknown placeholder");
        yield return new TestCaseData(new ProgramLinks(ShareTextTemplate: "Use {code} for {discount}"), "links.shareTextTemplate").SetName("A share text with an unknown placeholder");
        yield return new TestCaseData(new ProgramLinks(ShareTextTemplate: new string('x', 1001)), "links.shareTextTemplate").SetName("A share text over 1000 characters");
        yield return new TestCaseData(new ProgramLinks(ShareTextTemplate: "   "), "links.shareTextTemplate").SetName("A blank share text");
    }

    [TestCaseSource(nameof(BadSettings))]
    public async Task A_bad_link_setting_is_refused_naming_the_field(ProgramLinks links, string field)
    {
        using var admin = Api.Admin();

        var problem = await admin.Programs.CreateProgramAsync(new NewProgram("Links", "USD", 2000, 1000, null, Links: links))
            .Refused(HttpStatusCode.BadRequest, "validation_failed");

        Assert.That(problem.Errors?.Keys, Has.Some.EqualTo(field).IgnoreCase, string.Join(", ", problem.Errors?.Keys ?? []));
    }

    [Test]
    public async Task An_unknown_placeholder_in_a_patch_is_refused_and_nothing_changes()
    {
        var program = await Scenario.NewProgramAsync();
        using var admin = Api.Admin();

        var problem = await admin.Programs.UpdateProgramAsync(program,
            new ProgramChange(Name: "Changed", Links: new ProgramLinks(LandingUrl: "https://shop.example.com/", ShareTextTemplate: "Hi {name}!")))
            .Refused(HttpStatusCode.BadRequest, "validation_failed");
        var read = await admin.Programs.GetProgramAsync(program).Ok();

        Assert.Multiple(() =>
        {
            Assert.That(problem.Errors?.Keys, Has.Some.EqualTo("links.shareTextTemplate").IgnoreCase);
            Assert.That(problem.Errors!.Values.SelectMany(v => v), Has.Some.Contains("{name}"));
            Assert.That(read.Name, Is.Not.EqualTo("Changed"));
            Assert.That(read.Links, Is.EqualTo(new ProgramLinks()));
        });
    }

    [Test]
    public async Task An_empty_string_is_not_a_way_to_clear_a_setting()
    {
        var program = await Scenario.NewProgramAsync();
        using var admin = Api.Admin();

        await admin.Programs.UpdateProgramAsync(program, new ProgramChange(Links: new ProgramLinks(LandingUrl: "")))
            .Refused(HttpStatusCode.BadRequest, "validation_failed");
    }
}
