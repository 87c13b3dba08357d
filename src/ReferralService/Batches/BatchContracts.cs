using System.ComponentModel.DataAnnotations;
using ReferralService.Infrastructure;

namespace ReferralService.Batches;

// Request records are public: .NET 10's validation source generator skips internal types.

/// <summary>Either <c>pattern</c>, or <c>length</c> random symbols after an optional <c>prefix</c>.</summary>
public sealed record CreateCodeBatchRequest(
    [property: Range(1, 1_000_000, ErrorMessage = "From 1 to 1000000.")] int Count,
    [property: RegularExpression("^[A-Za-z0-9#-]{3,32}$", ErrorMessage = BatchPattern.Rule)] string? Pattern,
    [property: RegularExpression("^[A-Za-z0-9-]{0,31}$", ErrorMessage = BatchPattern.PrefixRule)] string? Prefix,
    [property: Range(1, BatchPattern.MaxLength, ErrorMessage = "From 1 to 32 random symbols.")] int? Length,
    [property: Range(1, int.MaxValue, ErrorMessage = "A positive whole number.")] int? MaxRedemptions,
    DateTimeOffset? ExpiresAt);

/// <summary>A batch: <c>generated</c> of <c>count</c> codes so far; <c>bits</c> of randomness per code (log2 of the pattern's space).</summary>
internal sealed record CodeBatchResponse(
    Guid Id, Guid ProgramId, string Pattern, int Count, int Generated, string Status, double Bits,
    int? MaxRedemptions, DateTime? ExpiresAt, string? FailureReason, DateTime CreatedAt, DateTime UpdatedAt, DateTime? CompletedAt);

internal sealed record BatchCodeResponse(string Code, string Status, int? MaxRedemptions, DateTime? ExpiresAt, DateTime CreatedAt);

internal sealed record BatchCodePage(IReadOnlyList<BatchCodeResponse> Data, bool HasMore, string? NextStartingAfter);

/// <summary>A batch as the batch procedures answer (code_batch_row after its status column).</summary>
internal sealed record CodeBatchRow(
    Guid Id, Guid ProgramId, string Pattern, int CodeCount, int Generated, string BatchStatus, int? MaxRedemptions,
    DateTime? ExpiresAt, string? FailureReason, DateTime CreatedAt, DateTime UpdatedAt, DateTime? CompletedAt)
{
    public CodeBatchResponse ToResponse() => new(Id, ProgramId, Pattern, CodeCount, Generated, BatchStatus, BatchPattern.BitsOf(Pattern),
        MaxRedemptions, ExpiresAt?.AsUtc(), FailureReason, CreatedAt.AsUtc(), UpdatedAt.AsUtc(), CompletedAt?.AsUtc());
}

/// <summary>One code of a batch (batch_code_row).</summary>
internal sealed record BatchCodeRow(string Code, string CodeStatus, int? MaxRedemptions, DateTime? ExpiresAt, DateTime CreatedAt)
{
    public BatchCodeResponse ToResponse() => new(Code, CodeStatus, MaxRedemptions, ExpiresAt?.AsUtc(), CreatedAt.AsUtc());
}

internal sealed class BatchOptions
{
    /// <summary>Codes drawn and inserted per transaction.</summary>
    [Range(1, 100_000)]
    public int ChunkSize { get; set; } = 10_000;

    /// <summary>How long a worker holds a batch without writing a chunk before another instance may take it over.</summary>
    [Range(1, 3600)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>How often a worker looks for unfinished batches it was not told about (another instance's, or one left by a crash).</summary>
    [Range(1, 86_400)]
    public int ScanIntervalSeconds { get; set; } = 30;

    /// <summary>For tests only: after this many chunks a worker stops, holding its claim, until it shuts down (as if it hung).</summary>
    [Range(1, int.MaxValue)]
    public int? PauseAfterChunks { get; set; }
}
