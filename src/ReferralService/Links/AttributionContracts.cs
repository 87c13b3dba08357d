using System.ComponentModel.DataAnnotations;

namespace ReferralService.Links;

/// <summary>
/// A fresh install's claim of the click that brought it: clickId (Android, from the install referrer), or platform and
/// osVersion (iOS, which has none), matched to the newest click from the caller's address on that platform within
/// Links:ClaimWindowMinutes. One or the other, not both. (Request records are public: the validation source generator
/// skips internal types.)
/// </summary>
public sealed record ClaimRequest(
    Guid? ClickId,
    [property: RegularExpression("^(ios|android)$", ErrorMessage = "ios or android.")] string? Platform = null,
    [property: RegularExpression(@"^[0-9]{1,4}(\.[0-9]{1,4}){0,3}$", ErrorMessage = "Dot-separated numbers, e.g. 17.4.")] string? OsVersion = null);

/// <summary>matchedBy: click_id or fingerprint. Only the code (public in the link) and the click's own id are told.</summary>
internal sealed record ClaimResponse(string Code, Guid ClickId, string MatchedBy);

/// <summary>A claim as claim_click answers (attribution_claim_row after its status column).</summary>
internal sealed record ClaimRow(string Code, Guid ClickId, string MatchedBy);
