using System.ComponentModel.DataAnnotations;
using ReferralService.Data;
using ReferralService.Infrastructure;

namespace ReferralService.Programs;

public sealed record CreateProgramRequest(
    [property: Required, FreeText(200)] string Name,
    [property: Required, RegularExpression(Inputs.CurrencyPattern, ErrorMessage = Inputs.CurrencyRule)] string Currency,
    [property: Amount] long ReferrerReward,
    [property: Amount] long RefereeReward,
    [property: Amount(minimum: 0)] long MinimumOrderAmount,
    [property: Range(1, int.MaxValue, ErrorMessage = "A positive whole number.")] int? MaxRewardsPerReferrer);

public sealed record UpdateProgramRequest(
    [property: RegularExpression("^(active|paused|ended)$")] string? Status,
    [property: Range(1, int.MaxValue, ErrorMessage = "A positive whole number.")] int? MaxRewardsPerReferrer,
    [property: Amount(minimum: 0)] long? MinimumOrderAmount);

internal sealed record ProgramResponse(
    Guid Id, string Name, string Currency, long ReferrerReward, long RefereeReward, long MinimumOrderAmount,
    int? MaxRewardsPerReferrer, string Status, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>The program_row result of the program procedures.</summary>
internal sealed record ProgramRow(
    string Status, Guid? Id, string? Name, string? Currency, long? ReferrerReward, long? RefereeReward,
    long? MinimumOrderAmount, int? MaxRewardsPerReferrer, string? ProgramStatus, DateTime? CreatedAt, DateTime? UpdatedAt) : IOutcomeRow
{
    public ProgramResponse ToResponse() => new(Id!.Value, Name!, Currency!.Trim(), ReferrerReward!.Value, RefereeReward!.Value,
        MinimumOrderAmount!.Value, MaxRewardsPerReferrer, ProgramStatus!, CreatedAt!.Value.AsUtc(), UpdatedAt!.Value.AsUtc());
}
