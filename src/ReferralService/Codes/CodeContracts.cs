using System.ComponentModel.DataAnnotations;
using ReferralService.Infrastructure;

namespace ReferralService.Codes;

internal sealed record ReferralCodeResponse(string Code, Guid ProgramId, string CustomerId, Uri ShareUrl);

internal sealed record CodeCheckResponse(string Code, Guid ProgramId, string? OwnerId, bool Valid, string? Reason);

/// <summary>A customer's code (referral_code_row after its status column); Created when this call made it.</summary>
internal sealed record ReferralCodeRow(string Code, Guid ProgramId, string OwnerId, bool Created);

/// <summary>A code and why it would be refused, if it would (code_check_row after its status column).</summary>
internal sealed record CodeCheckRow(string Code, Guid ProgramId, string? OwnerId, string? Reason, string? Kind, long? Discount, long? Credit);

// TEMPORARY until the redeem branch's create_code commit defines them.
internal sealed record CodeResponse(
    string Code, Guid ProgramId, string? OwnerId, string Source, string Status, int? MaxRedemptions, DateTime? ExpiresAt,
    Guid? BatchId, DateTime CreatedAt);

internal sealed record CodeRow(
    string Code, Guid ProgramId, string? OwnerId, string Source, string CodeStatus, int? MaxRedemptions, DateTime? ExpiresAt,
    Guid? BatchId, DateTime CreatedAt)
{
    public CodeResponse ToResponse() => new(Code, ProgramId, OwnerId, Source, CodeStatus, MaxRedemptions, ExpiresAt?.AsUtc(),
        BatchId, CreatedAt.AsUtc());
}

/// <summary>One page of a program's codes, in code order; pass nextStartingAfter as startingAfter for the next.</summary>
internal sealed record CodePage(IReadOnlyList<CodeResponse> Data, bool HasMore, string? NextStartingAfter);

// Request records are public: .NET 10's validation source generator skips internal types.
public sealed record UpdateCodeRequest(
    [property: RegularExpression("^(active|disabled)$", ErrorMessage = "active or disabled.")] string? Status,
    [property: Range(1, int.MaxValue, ErrorMessage = "A positive whole number.")] int? MaxRedemptions,
    DateTimeOffset? ExpiresAt);

internal sealed class ShareLinkOptions
{
    /// <summary>The share URL of a code is this base followed by the code.</summary>
    [Required, Url]
    public string ShareBaseUrl { get; set; } = "";
}
