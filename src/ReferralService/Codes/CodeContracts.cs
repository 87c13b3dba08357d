using System.ComponentModel.DataAnnotations;

namespace ReferralService.Codes;

internal sealed record ReferralCodeResponse(string Code, Guid ProgramId, string CustomerId, Uri ShareUrl);

internal sealed record CodeCheckResponse(string Code, Guid ProgramId, string? OwnerId, bool Valid, string? Reason);

/// <summary>A customer's code (referral_code_row after its status column); Created when this call made it.</summary>
internal sealed record ReferralCodeRow(string Code, Guid ProgramId, string OwnerId, bool Created);

/// <summary>A code and why it would be refused, if it would (code_check_row after its status column).</summary>
internal sealed record CodeCheckRow(string Code, Guid ProgramId, string? OwnerId, string? Reason, string? Kind, long? Discount, long? Credit);

internal sealed class ShareLinkOptions
{
    /// <summary>The share URL of a code is this base followed by the code.</summary>
    [Required, Url]
    public string ShareBaseUrl { get; set; } = "";
}
