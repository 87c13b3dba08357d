using System.Net;
using System.Net.Http.Headers;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Links;

internal sealed class RedirectRateLimitTests
{
    [Test]
    public async Task Redirects_are_limited_per_client_address_with_a_429_page_and_retry_after_even_for_a_signed_in_caller()
    {
        await using var service = ShareLinks.ServiceWith(("RateLimits:RedirectsPerMinute", "3"));
        var code = await Scenario.CodeForAsync(await Scenario.NewProgramAsync(), Api.NewCustomerId("owner"));
        var address = ShareLinks.NewAddress();
        using var visitor = service.Visitor(Agents.IosSafari, address);
        using var signedIn = service.Visitor(Agents.IosSafari, address);
        signedIn.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Admin);
        using var neighbour = service.Visitor(Agents.IosSafari, ShareLinks.NewAddress());

        var allowed = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await visitor.GetAsync(new Uri($"/r/{code}", UriKind.Relative));
            allowed.Add(response.StatusCode);
        }
        using var refused = await visitor.GetAsync(new Uri($"/r/{code}", UriKind.Relative));
        using var refusedSignedIn = await signedIn.GetAsync(new Uri($"/r/{code}", UriKind.Relative));
        using var other = await neighbour.GetAsync(new Uri($"/r/{code}", UriKind.Relative));

        Assert.Multiple(async () =>
        {
            Assert.That(allowed, Is.All.EqualTo(HttpStatusCode.Found));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("<h1>Too many requests</h1>"));
            Assert.That(refused.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
            Assert.That(refused.Headers.CacheControl?.NoStore, Is.True);
            Assert.That(refusedSignedIn.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        });
    }

    [Test]
    public async Task Unknown_codes_spend_the_failed_lookup_budget_after_which_every_redirect_is_refused()
    {
        await using var service = ShareLinks.ServiceWith(("RateLimits:FailedCodeLookupsPerMinute", "2"));
        var code = await Scenario.CodeForAsync(await Scenario.NewProgramAsync(), Api.NewCustomerId("owner"));
        using var visitor = service.Visitor(Agents.DesktopChrome, ShareLinks.NewAddress());

        using var first = await visitor.GetAsync(new Uri("/r/NOSUCHCODE1", UriKind.Relative));
        using var second = await visitor.GetAsync(new Uri("/r/NOSUCHCODE2", UriKind.Relative));
        using var known = await visitor.GetAsync(new Uri($"/r/{code}", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That((first.StatusCode, second.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.NotFound)));
            Assert.That(known.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(known.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(known.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        });
    }
}
