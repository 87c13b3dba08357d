using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.WebUtilities;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Links;

/// <summary>
/// Claims after real share-link visits (GET /r/{code} with real User-Agent strings): the app on the phone that clicked
/// claims from the same address, by the click id the redirect handed over or by fingerprint (address hash and platform).
/// </summary>
internal sealed class FingerprintClaimTests
{
    private const string IosSafari16 =
        "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1";

    [Test]
    public async Task An_iphone_app_claims_the_click_its_phone_made_by_fingerprint()
    {
        var code = await NewCodeAsync();
        var phone = ShareLinks.NewAddress();
        var click = await VisitAsync(code, Agents.IosSafari, phone);
        await VisitAsync(code, Agents.AndroidChrome, ShareLinks.NewAddress());
        using var app = App(Api.NewCustomerId("bob"), phone);

        var claim = await app.Attribution.ClaimAsync("ios", "17.4.1").Ok();

        Assert.That(claim, Is.EqualTo(new AttributionClaim(code, click, "fingerprint")));
    }

    [Test]
    public async Task An_android_app_claims_by_the_click_id_the_redirect_gave_it()
    {
        var code = await NewCodeAsync();
        var phone = ShareLinks.NewAddress();
        var click = await VisitAsync(code, Agents.AndroidChrome, phone);
        using var app = App(Api.NewCustomerId("bob"), ShareLinks.NewAddress());

        var claim = await app.Attribution.ClaimAsync(click).Ok();

        Assert.That(claim, Is.EqualTo(new AttributionClaim(code, click, "click_id")));
    }

    [Test]
    public async Task A_fingerprint_claim_prefers_a_click_of_the_same_os_version_then_the_newest()
    {
        var code = await NewCodeAsync();
        var phone = ShareLinks.NewAddress();
        var older = await VisitAsync(code, Agents.IosSafari, phone);
        var newer = await VisitAsync(code, IosSafari16, phone);
        using var onSeventeen = App(Api.NewCustomerId("bob"), phone);
        using var onEighteen = App(Api.NewCustomerId("carol"), phone);

        var sameVersion = await onSeventeen.Attribution.ClaimAsync("ios", "17.4").Ok();
        var noneOfThem = await onEighteen.Attribution.ClaimAsync("ios", "18.0").Ok();

        Assert.Multiple(() =>
        {
            Assert.That(sameVersion.ClickId, Is.EqualTo(older));
            Assert.That(noneOfThem.ClickId, Is.EqualTo(newer));
        });
    }

    [Test]
    public async Task Another_platform_or_another_address_matches_nothing()
    {
        var code = await NewCodeAsync();
        var phone = ShareLinks.NewAddress();
        await VisitAsync(code, Agents.IosSafari, phone);
        using var android = App(Api.NewCustomerId("bob"), phone);
        using var elsewhere = App(Api.NewCustomerId("carol"), ShareLinks.NewAddress());

        await android.Attribution.ClaimAsync("android", "14").Refused(HttpStatusCode.NotFound, "not_found");
        await elsewhere.Attribution.ClaimAsync("ios", "17.4").Refused(HttpStatusCode.NotFound, "not_found");
    }

    [Test]
    public async Task A_click_older_than_the_claim_window_matches_nothing_by_fingerprint_but_still_by_its_id()
    {
        var code = await NewCodeAsync();
        var phone = ShareLinks.NewAddress();
        var click = await VisitAsync(code, Agents.IosSafari, phone);
        // The click was made an hour and a minute ago: just outside the default window (Links:ClaimWindowMinutes, 60).
        await TestRun.Database.ExecuteAsync(
            "UPDATE clicks SET clicked_at = clicked_at - interval '61 minutes' WHERE id = @click",
            "UPDATE dbo.clicks SET clicked_at = DATEADD(minute, -61, clicked_at) WHERE id = @click",
            new { click });
        using var late = App(Api.NewCustomerId("bob"), phone);
        using var android = App(Api.NewCustomerId("carol"), phone);

        await late.Attribution.ClaimAsync("ios", "17.4").Refused(HttpStatusCode.NotFound, "not_found");
        var byId = await android.Attribution.ClaimAsync(click).Ok();

        Assert.That(byId.ClickId, Is.EqualTo(click));
    }

    [Test]
    public async Task A_claimed_click_is_counted_and_the_redemption_it_brings_is_attributed_in_the_stats()
    {
        var code = await NewCodeAsync();
        var phone = ShareLinks.NewAddress();
        var click = await VisitAsync(code, Agents.IosSafari, phone);
        var friend = Api.NewCustomerId("bob");
        using (var app = App(friend, phone))
        {
            await app.Attribution.ClaimAsync("ios", "17.4").Ok();
        }
        using var merchant = Api.Merchant();

        var redemption = await merchant.Redemptions.RedeemAsync(code, friend).Created();
        var stats = await merchant.Attribution.CodeStatsAsync(code).Ok();

        Assert.Multiple(() =>
        {
            Assert.That(redemption.ClickId, Is.EqualTo(click));
            Assert.That((stats.Clicks, stats.UniqueVisitors, stats.ByPlatform.Ios, stats.Redemptions, stats.RedemptionsFromClicks),
                Is.EqualTo((1L, 1L, 1L, 1L, 1L)));
        });
    }

    private static async Task<string> NewCodeAsync() =>
        await Scenario.CodeForAsync(await Scenario.NewProgramAsync(), Api.NewCustomerId("alice"));

    /// <summary>A visit of the share link; answers the click id the redirect put in the landing URL, once the click is written.</summary>
    private static async Task<Guid> VisitAsync(string code, string userAgent, IPAddress address)
    {
        using var visitor = LinkService.Instance.Visitor(userAgent, address);
        using var response = await visitor.GetAsync($"/r/{code}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        var click = Guid.Parse(query["click"].ToString());
        var written = await ShareLinks.ClicksOnceWrittenAsync(code, 1);
        for (var attempt = 0; attempt < 300 && !written.Exists(c => c.Id == click); attempt++)
        {
            await Task.Delay(50);
            written = await ShareLinks.ClicksAsync(code);
        }
        Assert.That(written.Select(c => c.Id), Does.Contain(click), "the click was not written");
        return click;
    }

    /// <summary>The new customer's app on a phone at this address.</summary>
    private static Caller App(string customerId, IPAddress address)
    {
        var http = LinkService.Instance.Visitor(null, address);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Customer(customerId));
        return new Caller(http);
    }
}
