using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ReferralService.Auth;
using ReferralService.Infrastructure;

namespace ReferralService.Links;

internal static class AttributionEndpoints
{
    public static IServiceCollection AddAttribution(this IServiceCollection services)
    {
        services.AddSingleton<AttributionStore>();
        services.AddSingleton<StatsStore>();
        return services;
    }

    public static void MapAttribution(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/attributions/claim", Claim)
            .WithTags("Links").RequireAuthorization(policy => policy.RequireRole(Roles.Customer))
            .WithName(nameof(Claim)).Refuses(Refusals.ValidationFailed, Refusals.NotFound)
            .WithSummary("Deferred deep link: the new customer's app, on its first start, claims the share-link click that brought it. "
                + "clickId (Android, from the install referrer): that click. Or platform (ios, android) and osVersion: the newest click "
                + "from the caller's IP address on that platform within Links:ClaimWindowMinutes, one on the same OS version first. "
                + "Answers the click's code, its clickId and matchedBy (click_id or fingerprint); 404 when nothing matches. One claim "
                + "per customer: the first stands, and a repeat answers it (natural key, no Idempotency-Key needed). A redemption of "
                + "that code by this customer without a clickId is attributed to the claimed click.");
        StatsEndpoints.Map(app);
    }

    private static async Task<Results<Ok<ClaimResponse>, ValidationProblem, ProblemHttpResult>> Claim(
        ClaimRequest request, AttributionStore store, VisitorHashes visitors, IOptions<LinkOptions> options, TimeProvider time, HttpContext http,
        CancellationToken ct)
    {
        var customerId = http.User.FindFirst("sub")?.Value;
        if (!Inputs.IsCustomerId(customerId))
        {
            return Problems.Invalid("sub", "The token's subject must be a customer id: " + Inputs.CustomerIdRule);
        }
        if ((request.ClickId is null) == (request.Platform is null))
        {
            return Problems.Invalid("clickId", "Either clickId, or platform (with osVersion when known): one of the two.");
        }
        var now = time.GetUtcNow();
        if (request.ClickId is { } clickId)
        {
            return ToResult(await store.ClaimByClickAsync(customerId!, clickId, now, ct));
        }
        // Without the caller's address (a connection that is not TCP) no click matches, but an earlier claim still answers.
        var hashes = http.Connection.RemoteIpAddress is { } address
            ? await visitors.HashesWithinClaimWindowAsync(address, now, ct)
            : [];
        return ToResult(await store.ClaimByFingerprintAsync(
            customerId!, hashes, request.Platform!, MajorMinor(request.OsVersion), options.Value.ClaimWindowMinutes, now, ct));
    }

    /// <summary>The OS version as clicks record it: major.minor (17.4.1 is 17.4).</summary>
    internal static string? MajorMinor(string? version) =>
        version is null ? null : string.Join('.', version.Split('.').Take(2));

    private static Results<Ok<ClaimResponse>, ValidationProblem, ProblemHttpResult> ToResult(Data.Outcome<ClaimRow> outcome) =>
        outcome switch
        {
            { Status: Outcomes.Ok, Row: { } claim } => TypedResults.Ok(new ClaimResponse(claim.Code, claim.ClickId, claim.MatchedBy)),
            { Status: var status } => Problems.Refused(status),
        };
}
