using System.ComponentModel.DataAnnotations;
using ReferralService.Infrastructure;

namespace ReferralService.Codes;

// Request records are public: .NET 10's validation source generator skips internal types.
public sealed record CreateCodeRequest(
    [property: Required, VanityCode] string Code,
    [property: CustomerId] string? OwnerId,
    [property: Range(1, int.MaxValue, ErrorMessage = "A positive whole number.")] int? MaxRedemptions,
    DateTimeOffset? ExpiresAt);

internal sealed record ReferralCodeResponse(string Code, Guid ProgramId, string CustomerId, Uri ShareUrl);

/// <summary>
/// The dry run's answer: valid, or the reason redeem would refuse; kind; discount (what the offer takes off this order,
/// NULL when it depends on an order amount not given; 0 for credit offers) and credit (the redeemer's credit).
/// </summary>
internal sealed record CodeCheckResponse(
    string Code, Guid ProgramId, string? OwnerId, bool Valid, string? Reason, string Kind, long? Discount, long Credit);

/// <summary>A code of any kind, as the code resource describes it.</summary>
internal sealed record CodeResponse(
    string Code, Guid ProgramId, string? OwnerId, string Source, string Status, int? MaxRedemptions, DateTime? ExpiresAt,
    Guid? BatchId, DateTime CreatedAt);

/// <summary>A customer's code (referral_code_row after its status column); Created when this call made it.</summary>
internal sealed record ReferralCodeRow(string Code, Guid ProgramId, string OwnerId, bool Created);

/// <summary>A code and why it would be refused, if it would (code_check_row after its status column).</summary>
internal sealed record CodeCheckRow(string Code, Guid ProgramId, string? OwnerId, string? Reason, string Kind, long? Discount, long Credit)
{
    public CodeCheckResponse ToResponse() => new(Code, ProgramId, OwnerId, Reason is null, Reason, Kind, Discount, Credit);
}

/// <summary>A code as the code procedures answer (code_row after its status column).</summary>
internal sealed record CodeRow(
    string Code, Guid ProgramId, string? OwnerId, string Source, string CodeStatus, int? MaxRedemptions, DateTime? ExpiresAt,
    Guid? BatchId, DateTime CreatedAt)
{
    public CodeResponse ToResponse() =>
        new(Code, ProgramId, OwnerId, Source, CodeStatus, MaxRedemptions, ExpiresAt?.AsUtc(), BatchId, CreatedAt.AsUtc());
}

/// <summary>One page of a program's codes, in code order; pass nextStartingAfter as startingAfter for the next.</summary>
internal sealed record CodePage(IReadOnlyList<CodeResponse> Data, bool HasMore, string? NextStartingAfter);

public sealed record UpdateCodeRequest(
    [property: RegularExpression("^(active|disabled)$", ErrorMessage = "active or disabled.")] string? Status,
    [property: Range(1, int.MaxValue, ErrorMessage = "A positive whole number.")] int? MaxRedemptions,
    DateTimeOffset? ExpiresAt);

internal sealed class CodeOptions
{
    /// <summary>The deny-list: one word per line, # comments. Relative paths are from the service's directory.</summary>
    [Required]
    public string DenyListPath { get; set; } = "Codes/deny-list.txt";
}
