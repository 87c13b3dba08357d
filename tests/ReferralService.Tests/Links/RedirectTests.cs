using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Links;

internal sealed class RedirectTests
{
    private const string DefaultLanding = "https://shop.example.com/";
    private const string Landing = "https://brand.example.net/welcome?lang=en&ref=OLD#signup";
    private const string AppStore = "https://apps.apple.com/app/id1234567890";
    private const string Package = "com.example.shop";

    [Test]
    public async Task A_desktop_visit_records_one_click_and_goes_to_the_default_landing_page_with_code_and_click()
    {
        var (program, code) = await NewCodeAsync();
        using var visitor = LinkService.Instance.Visitor(Agents.DesktopChrome, ShareLinks.NewAddress());
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"/r/{code.ToLowerInvariant()}?utm_source=newsletter&utm_medium=email&utm_campaign=spring&utm_term=shoes&utm_content={new string('x', 250)}");
        request.Headers.Referrer = new Uri("https://mail.example.org/inbox?id=42");

        using var response = await visitor.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        var click = (await ShareLinks.ClicksOnceWrittenAsync(code, 1)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location, Is.EqualTo(new Uri($"{DefaultLanding}?ref={code}&click={click.Id}")));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
            Assert.That(response.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"));
            Assert.That(click.Id.Version, Is.EqualTo(7));
            Assert.That(Fields(click), Is.EqualTo(Fields(new ClickRow(
                default, code, program, default, [], "desktop", "10", "Chrome", "mail.example.org", "newsletter", "email", "spring", "shoes",
                new string('x', 200)))));
            Assert.That(click.IpHash, Has.Length.EqualTo(32));
            Assert.That(click.ClickedAt, Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(5)), "stored in UTC");
        });
    }

    [TestCase(Agents.IosSafari, "ios", "17.4", "Mobile Safari")]
    [TestCase(Agents.AndroidChrome, "android", "10", "Chrome Mobile")]
    [TestCase(Agents.DesktopChrome, "desktop", "10", "Chrome")]
    [TestCase(Agents.DesktopFirefox, "desktop", "10", "Firefox")]
    [TestCase(Agents.DesktopSafari, "desktop", "10.15", "Safari")]
    public async Task Each_platform_goes_to_its_target_and_its_click_is_recorded_once(string userAgent, string platform, string os, string browser)
    {
        var (program, code) = await NewCodeAsync();
        await ShareLinks.SetProgramLinksAsync(program, Landing, AppStore, Package);
        using var visitor = LinkService.Instance.Visitor(userAgent, ShareLinks.NewAddress());

        using var response = await visitor.GetAsync(new Uri($"/r/{code}", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        var clicks = await ShareLinks.ClicksOnceWrittenAsync(code, 1);
        var click = clicks.Single();
        var expected = platform switch
        {
            "ios" => AppStore,
            "android" => $"https://play.google.com/store/apps/details?id={Package}&referrer=ref%3D{code}%26click%3D{click.Id}",
            _ => $"https://brand.example.net/welcome?lang=en&ref={code}&click={click.Id}#signup",
        };
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo(expected));
            Assert.That((click.Platform, click.OsVersion, click.Browser, click.ProgramId), Is.EqualTo((platform, os, browser, program)));
        });
    }

    [TestCase(Agents.IosSafari)]
    [TestCase(Agents.AndroidChrome)]
    public async Task A_phone_whose_program_has_no_app_goes_to_the_landing_page(string userAgent)
    {
        var (program, code) = await NewCodeAsync();
        await ShareLinks.SetProgramLinksAsync(program, Landing, iosAppStoreUrl: null, androidPackage: null);
        using var visitor = LinkService.Instance.Visitor(userAgent, ShareLinks.NewAddress());

        using var response = await visitor.GetAsync(new Uri($"/r/{code}", UriKind.Relative));

        var click = (await ShareLinks.ClicksOnceWrittenAsync(code, 1)).Single();
        Assert.That(response.Headers.Location?.OriginalString,
            Is.EqualTo($"https://brand.example.net/welcome?lang=en&ref={code}&click={click.Id}#signup"));
    }

    [TestCase(Agents.Slack)]
    [TestCase(Agents.WhatsApp)]
    [TestCase(Agents.IMessage)]
    [TestCase(Agents.Facebook)]
    [TestCase(Agents.Twitter)]
    [TestCase(Agents.Telegram)]
    [TestCase(Agents.Discord)]
    [TestCase(Agents.LinkedIn)]
    [TestCase("")]
    public async Task A_bot_or_link_preview_gets_the_redirect_without_a_click_and_is_not_recorded(string userAgent)
    {
        var (program, code) = await NewCodeAsync();
        await ShareLinks.SetProgramLinksAsync(program, Landing, AppStore, Package);
        var (_, marker) = await NewCodeAsync();
        using var visitor = LinkService.Instance.Visitor(userAgent, ShareLinks.NewAddress());
        using var person = LinkService.Instance.Visitor(Agents.DesktopFirefox, ShareLinks.NewAddress());

        using var response = await visitor.GetAsync(new Uri($"/r/{code}", UriKind.Relative));
        // A person's click made after the bot's visit: once it is written, the bot's would have been too.
        using var after = await person.GetAsync(new Uri($"/r/{marker}", UriKind.Relative));
        await ShareLinks.ClicksOnceWrittenAsync(marker, 1);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
            Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo($"https://brand.example.net/welcome?lang=en&ref={code}#signup"));
            Assert.That(await ShareLinks.ClicksAsync(code), Is.Empty);
        });
    }

    [Test]
    public async Task An_unknown_disabled_or_expired_code_gets_a_404_page_and_records_nothing()
    {
        var (_, disabled) = await NewCodeAsync();
        var (_, expired) = await NewCodeAsync();
        using var admin = Api.Admin();
        await admin.Codes.UpdateCodeAsync(disabled, new { status = "disabled" }).Ok();
        await TestRun.Database.ExecuteAsync(
            "UPDATE referral_codes SET expires_at = now() - interval '1 minute' WHERE code = @expired",
            "UPDATE dbo.referral_codes SET expires_at = DATEADD(minute, -1, SYSDATETIMEOFFSET()) WHERE code = @expired", new { expired });
        var (_, marker) = await NewCodeAsync();
        using var visitor = LinkService.Instance.Visitor(Agents.IosSafari, ShareLinks.NewAddress());

        foreach (var code in new[] { "NOSUCHCODE42", "not a code!", disabled, expired })
        {
            using var response = await visitor.GetAsync(new Uri($"/r/{Uri.EscapeDataString(code)}", UriKind.Relative));
            var page = await response.Content.ReadAsStringAsync();
            Assert.Multiple(() =>
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), code);
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"), code);
                Assert.That(page, Does.Contain("<h1>Link not found</h1>"), code);
                Assert.That(response.Headers.CacheControl?.NoStore, Is.True, code);
            });
        }
        using var after = await visitor.GetAsync(new Uri($"/r/{marker}", UriKind.Relative));
        await ShareLinks.ClicksOnceWrittenAsync(marker, 1);

        Assert.That((await ShareLinks.ClicksAsync(disabled)).Concat(await ShareLinks.ClicksAsync(expired)), Is.Empty);
    }

    [Test]
    public async Task A_paused_ended_or_not_yet_started_program_redirects_to_its_landing_page_without_the_code_and_records_nothing()
    {
        var (paused, pausedCode) = await NewCodeAsync();
        var (ended, endedCode) = await NewCodeAsync();
        var (future, futureCode) = await NewCodeAsync();
        var (_, marker) = await NewCodeAsync();
        foreach (var program in new[] { paused, ended, future })
        {
            await ShareLinks.SetProgramLinksAsync(program, Landing, AppStore, Package);
        }
        using var admin = Api.Admin();
        await admin.Programs.UpdateProgramAsync(paused, new ProgramChange(Status: "paused")).Ok();
        await admin.Programs.UpdateProgramAsync(ended, new ProgramChange(Status: "ended")).Ok();
        await admin.Programs.UpdateProgramAsync(future, new ProgramChange(StartsAt: DateTimeOffset.UtcNow.AddDays(1))).Ok();
        using var visitor = LinkService.Instance.Visitor(Agents.AndroidChrome, ShareLinks.NewAddress());

        foreach (var code in new[] { pausedCode, endedCode, futureCode })
        {
            using var response = await visitor.GetAsync(new Uri($"/r/{code}", UriKind.Relative));
            Assert.Multiple(() =>
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found), code);
                Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo(Landing), code);
            });
        }
        using var after = await visitor.GetAsync(new Uri($"/r/{marker}", UriKind.Relative));
        await ShareLinks.ClicksOnceWrittenAsync(marker, 1);

        foreach (var code in new[] { pausedCode, endedCode, futureCode })
        {
            Assert.That(await ShareLinks.ClicksAsync(code), Is.Empty, code);
        }
    }

    [Test]
    public async Task A_code_disabled_after_it_was_followed_stops_redirecting_when_the_cache_is_off()
    {
        await using var service = ShareLinks.ServiceWith(("Links:CodeCacheSeconds", "0"));
        var (_, code) = await NewCodeAsync();
        using var visitor = service.Visitor(Agents.DesktopSafari, ShareLinks.NewAddress());
        using var admin = Api.Admin();

        using var before = await visitor.GetAsync(new Uri($"/r/{code}", UriKind.Relative));
        await admin.Codes.UpdateCodeAsync(code, new { status = "disabled" }).Ok();
        using var after = await visitor.GetAsync(new Uri($"/r/{code}", UriKind.Relative));

        Assert.That((before.StatusCode, after.StatusCode), Is.EqualTo((HttpStatusCode.Found, HttpStatusCode.NotFound)));
    }

    [Test]
    public async Task The_same_visitor_has_the_same_address_hash_and_another_visitor_another()
    {
        var (_, code) = await NewCodeAsync();
        var first = ShareLinks.NewAddress();
        using var one = LinkService.Instance.Visitor(Agents.IosSafari, first);
        using var again = LinkService.Instance.Visitor(Agents.DesktopChrome, first);
        using var other = LinkService.Instance.Visitor(Agents.IosSafari, ShareLinks.NewAddress());

        foreach (var visitor in new[] { one, again, other })
        {
            using var response = await visitor.GetAsync(new Uri($"/r/{code}", UriKind.Relative));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        }

        var clicks = await ShareLinks.ClicksOnceWrittenAsync(code, 3);
        var hashes = clicks.Select(c => Convert.ToHexString(c.IpHash)).ToList();
        Assert.That(hashes.Distinct().Count(), Is.EqualTo(2));
    }

    private static string Fields(ClickRow click) =>
        (click with { Id = default, ClickedAt = default, IpHash = [] }).ToString();

    private static async Task<(Guid Program, string Code)> NewCodeAsync()
    {
        var program = await Scenario.NewProgramAsync();
        return (program, await Scenario.CodeForAsync(program, Api.NewCustomerId("owner")));
    }
}
