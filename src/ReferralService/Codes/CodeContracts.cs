using System.ComponentModel.DataAnnotations;
using ReferralService.Data;

namespace ReferralService.Codes;

internal sealed record ReferralCodeResponse(string Code, Guid ProgramId, string CustomerId, Uri ShareUrl);

internal sealed record CodeCheckResponse(string Code, Guid ProgramId, string OwnerId, bool Valid, string? Reason);

/// <summary>The referral_code_row result.</summary>
internal sealed record ReferralCodeRow(string Status, string? Code, Guid? ProgramId, string? OwnerId, bool? Created) : IOutcomeRow;

/// <summary>The code_check_row result.</summary>
internal sealed record CodeCheckRow(string Status, string? Code, Guid? ProgramId, string? OwnerId, string? Reason) : IOutcomeRow;

internal sealed class ShareLinkOptions
{
    /// <summary>The share URL of a code is this base followed by the code.</summary>
    [Required, Url]
    public string ShareBaseUrl { get; set; } = "";
}
