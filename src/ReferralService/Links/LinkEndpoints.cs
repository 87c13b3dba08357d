using System.Net;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using ReferralService.Auth;
using ReferralService.Infrastructure;

namespace ReferralService.Links;

internal static class LinkEndpoints
{
    public const string PlayStoreUrl = "https://play.google.com/store/apps/details";

    public static void MapLinks(this IEndpointRouteBuilder app)
    {
        app.MapGet("/r/{code}", FollowShareLink)
            .WithTags("Links").AllowAnonymous().RequireRateLimiting(RateLimits.Redirects)
            .WithMetadata(new HtmlRefusalPages(LinkPages.WriteTooManyRequestsAsync))
            .WithName(nameof(FollowShareLink))
            .Produces(StatusCodes.Status302Found)
            .Produces<string>(StatusCodes.Status404NotFound, "text/html")
            .Produces<string>(StatusCodes.Status429TooManyRequests, "text/html")
            .WithSummary("A share link: 302 to the app store or web page for the visitor's platform, recording the click (not for bots). "
                + "Android: the Play Store page of the program's androidPackage with an install referrer ref=CODE&click=ID; iOS: "
                + "iosAppStoreUrl; others (and platforms without an app): the landing page with ref and click in its query. An "
                + "unknown, disabled or expired code: a 404 page. A paused, ended or not yet started program: its landing page "
                + "without the code. Rate-limited per client IP (429 page with Retry-After).");

        app.MapGet("/.well-known/apple-app-site-association", GetAppleAppSiteAssociation)
            .WithTags("Links").AllowAnonymous().WithName(nameof(GetAppleAppSiteAssociation))
            .WithSummary("Universal links: the iOS apps (Links:AppleAppIds) that open share links (/r/*) on this domain.");

        app.MapGet("/.well-known/assetlinks.json", GetAssetLinks)
            .WithTags("Links").AllowAnonymous().WithName(nameof(GetAssetLinks))
            .WithSummary("Android App Links: the apps (Links:AndroidApps) that open links on this domain, by package and certificate.");

        app.MapGet("/v1/links/click-queue", GetClickQueue)
            .WithTags("Links").RequireAuthorization(Policies.Admin).WithName(nameof(GetClickQueue)).Refuses()
            .WithSummary("This instance's click queue since it started: clicks waiting to be written (queued, of capacity), "
                + "written, dropped because the queue was full, and failed (their batch could not be written).");
    }

    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> FollowShareLink(
        string code, HttpContext http, LinkTargets targets, UserAgents agents, VisitorHashes hashes, ClickQueue queue,
        FailedCodeLookups failedLookups, IOptions<LinkOptions> options, TimeProvider time, CancellationToken ct)
    {
        LinkPages.NoStore(http);
        var caller = RateLimits.ClientAddressOf(http);
        using (var lease = failedLookups.Check(caller))
        {
            if (!lease.IsAcquired)
            {
                RateLimits.SetRetryAfter(http, lease);
                return LinkPages.TooManyRequests();
            }
        }
        var normalized = Inputs.IsCode(code) ? Inputs.NormalizeCode(code) : null;
        if (normalized is null || await targets.FindAsync(normalized, ct) is not { } target)
        {
            failedLookups.CountFailure(caller);
            return LinkPages.NotFound();
        }
        var now = time.GetUtcNow();
        if (!target.CodeUsable(now))
        {
            return LinkPages.NotFound();
        }
        var landing = target.LandingUrl ?? options.Value.DefaultLandingUrl;
        if (!target.ProgramRunning(now))
        {
            return TypedResults.Redirect(landing);
        }

        var agent = agents.Classify(http.Request.Headers.UserAgent);
        Guid? clickId = null;
        if (!agent.IsBot)
        {
            var address = http.Connection.RemoteIpAddress ?? IPAddress.IPv6None;
            var click = new Click(
                Id: Guid.CreateVersion7(now), Code: normalized, ProgramId: target.ProgramId, ClickedAt: now,
                IpHash: await hashes.HashAsync(address, DateOnly.FromDateTime(now.UtcDateTime), ct),
                Platform: agent.Platform, OsVersion: agent.OsVersion, Browser: agent.Browser, RefererHost: RefererHostOf(http.Request),
                UtmSource: Utm(http.Request, "utm_source"), UtmMedium: Utm(http.Request, "utm_medium"),
                UtmCampaign: Utm(http.Request, "utm_campaign"), UtmTerm: Utm(http.Request, "utm_term"), UtmContent: Utm(http.Request, "utm_content"));
            // A dropped click (full queue) gets the redirect without a click id: there will be no click to claim.
            if (queue.TryEnqueue(click))
            {
                clickId = click.Id;
            }
        }
        return TypedResults.Redirect(TargetOf(agent.Platform, target, landing, normalized, clickId));
    }

    /// <summary>Where a platform goes: the Play Store with an install referrer, the App Store, or the landing page with ref and click.</summary>
    internal static string TargetOf(string platform, LinkTargetRow target, string landing, string code, Guid? clickId)
    {
        if (platform == "android" && target.AndroidPackage is { } package)
        {
            var referrer = new QueryBuilder { { "ref", code } };
            if (clickId is { } id)
            {
                referrer.Add("click", id.ToString());
            }
            return PlayStoreUrl + new QueryBuilder { { "id", package }, { "referrer", referrer.ToString()[1..] } };
        }
        if (platform == "ios" && target.IosAppStoreUrl is { } appStore)
        {
            return appStore;
        }
        return WithCode(landing, code, clickId);
    }

    /// <summary>The landing URL with ref (and click) set in its query: other parameters and the fragment kept, an old ref or click replaced.</summary>
    internal static string WithCode(string landing, string code, Guid? clickId)
    {
        var builder = new UriBuilder(landing);
        var query = new QueryBuilder(QueryHelpers.ParseQuery(builder.Query)
            .Where(p => p.Key is not ("ref" or "click"))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? ""))));
        query.Add("ref", code);
        if (clickId is { } id)
        {
            query.Add("click", id.ToString());
        }
        builder.Query = query.ToString();
        return builder.Uri.AbsoluteUri;
    }

    private static string? RefererHostOf(HttpRequest request) =>
        Uri.TryCreate(request.Headers.Referer.ToString(), UriKind.Absolute, out var referer) && referer.Host.Length > 0
            ? Cut(referer.Host, 255) : null;

    private static string? Utm(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) && !string.IsNullOrWhiteSpace(values.ToString()) ? Cut(values[0] ?? "", 200) : null;

    private static string Cut(string value, int length) => value.Length > length ? value[..length] : value;

    public static ContentHttpResult GetAppleAppSiteAssociation(AppLinks links) =>
        TypedResults.Content(links.AppleAppSiteAssociation, "application/json");

    public static ContentHttpResult GetAssetLinks(AppLinks links) => TypedResults.Content(links.AssetLinks, "application/json");

    public static Ok<ClickQueueResponse> GetClickQueue(ClickQueue queue) => TypedResults.Ok(queue.Snapshot());
}
