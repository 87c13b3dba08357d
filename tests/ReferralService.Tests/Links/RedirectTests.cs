using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Links;

internal sealed class RedirectTests
{
    private const string DefaultLanding = "https://shop.example.com/";

    [Test]
    public async Task A_desktop_visit_records_one_click_and_goes_to_the_default_landing_page_with_code_and_click()
    {
        var program = await Scenario.NewProgramAsync();
        var code = await Scenario.CodeForAsync(program, Api.NewCustomerId("owner"));
        var address = ShareLinks.NewAddress();
        using var visitor = LinkService.Instance.Visitor(Agents.DesktopChrome, address);
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
            Assert.That(click with { Id = default, ClickedAt = default, IpHash = [] }, Is.EqualTo(new ClickRow(
                default, code, program, default, [], "desktop", "10", "Chrome", "mail.example.org", "newsletter", "email", "spring", "shoes",
                new string('x', 200))).Using<ClickRow>((a, b) => a.ToString() == b.ToString()));
            Assert.That(click.IpHash, Has.Length.EqualTo(32));
            Assert.That(click.ClickedAt, Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(5)));
        });
    }
}
