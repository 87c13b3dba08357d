using ReferralService.Data;

namespace ReferralService.Links;

// One claim per customer, the first wins, and a repeat answers it: a repeated call has the effect of once.
[Procedure("claim_click", ProcedureKind.Write, RepeatSafe = true)]
internal sealed record ClaimClickCall(
    string CustomerId, Guid? ClickId, byte[]? IpHash, byte[]? EarlierIpHash, string? Platform, string? OsVersion, int WindowMinutes,
    DateTimeOffset Now)
    : IProcedureCall<Outcome<ClaimRow>>;

internal sealed class AttributionStore(Db db)
{
    public Task<Outcome<ClaimRow>> ClaimByClickAsync(string customerId, Guid clickId, DateTimeOffset now, CancellationToken ct) =>
        db.QuerySingleAsync(new ClaimClickCall(customerId, clickId, IpHash: null, EarlierIpHash: null, Platform: null, OsVersion: null,
            WindowMinutes: 0, Now: now), ct);

    /// <summary>hashes: the caller's address hashes of the days the window reaches (today first, then yesterday); none without an address.</summary>
    public Task<Outcome<ClaimRow>> ClaimByFingerprintAsync(
        string customerId, byte[][] hashes, string platform, string? osVersion, int windowMinutes, DateTimeOffset now, CancellationToken ct) =>
        db.QuerySingleAsync(new ClaimClickCall(customerId, ClickId: null, IpHash: hashes.ElementAtOrDefault(0), EarlierIpHash: hashes.ElementAtOrDefault(1),
            Platform: platform, OsVersion: osVersion, WindowMinutes: windowMinutes, Now: now), ct);
}
