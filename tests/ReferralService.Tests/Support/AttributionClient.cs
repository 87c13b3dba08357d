namespace ReferralService.Tests.Support;

/// <summary>Attribution claims and share-link stats.</summary>
internal sealed class AttributionClient(HttpClient http) : FeatureClient(http)
{
    public Task<Response<AttributionClaim>> ClaimAsync(Guid clickId) => PostAsync<AttributionClaim>("/v1/attributions/claim", new { clickId });

    public Task<Response<AttributionClaim>> ClaimAsync(string platform, string? osVersion) =>
        PostAsync<AttributionClaim>("/v1/attributions/claim", new ClaimBody(null, platform, osVersion));

    /// <summary>Any body, for the request rules.</summary>
    public Task<Response<AttributionClaim>> ClaimAsync(object body) => PostAsync<AttributionClaim>("/v1/attributions/claim", body);

    public Task<Response<Stats>> CodeStatsAsync(string code, string? from = null, string? to = null) =>
        GetAsync<Stats>(WithQuery($"/v1/codes/{Escaped(code)}/stats", ("from", from), ("to", to)));

    public Task<Response<Stats>> ProgramStatsAsync(Guid programId, string? from = null, string? to = null) =>
        GetAsync<Stats>(WithQuery($"/v1/programs/{programId}/stats", ("from", from), ("to", to)));

    private sealed record ClaimBody(Guid? ClickId, string? Platform, string? OsVersion);
}

internal sealed record AttributionClaim(string Code, Guid ClickId, string MatchedBy);

internal sealed record Stats(
    string? Code, Guid ProgramId, DateTimeOffset From, DateTimeOffset To, string Currency, long Clicks, long UniqueVisitors,
    ClicksByPlatform ByPlatform, long Redemptions, long Qualified, long Reversed, long RedemptionsFromClicks, long QualifiedFromClicks,
    decimal? Conversion, decimal RewardCost, decimal PendingRewardCost);

internal sealed record ClicksByPlatform(long Ios, long Android, long Desktop, long Other);
