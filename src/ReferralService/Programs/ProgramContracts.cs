using System.ComponentModel.DataAnnotations;
using ReferralService.Infrastructure;

namespace ReferralService.Programs;

public sealed record CreateProgramRequest(
    [property: Required, StringLength(200, MinimumLength = 1)] string Name,
    [property: Required, RegularExpression(Inputs.CurrencyPattern, ErrorMessage = Inputs.CurrencyRule)] string Currency,
    [property: Range(1, long.MaxValue, ErrorMessage = Inputs.AmountRule)] long ReferrerReward,
    [property: Range(1, long.MaxValue, ErrorMessage = Inputs.AmountRule)] long RefereeReward,
    [property: Range(0, long.MaxValue, ErrorMessage = "Zero or a positive whole number of minor units.")] long MinimumOrderAmount,
    [property: Range(1, int.MaxValue, ErrorMessage = "A positive whole number.")] int? MaxRewardsPerReferrer);

public sealed record UpdateProgramRequest(
    [property: RegularExpression("^(active|paused|ended)$")] string? Status,
    [property: Range(1, int.MaxValue, ErrorMessage = "A positive whole number.")] int? MaxRewardsPerReferrer,
    [property: Range(0, long.MaxValue, ErrorMessage = "Zero or a positive whole number of minor units.")] long? MinimumOrderAmount);

internal sealed record ProgramResponse(
    Guid Id, string Name, string Currency, long ReferrerReward, long RefereeReward, long MinimumOrderAmount,
    int? MaxRewardsPerReferrer, string Status, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>The program_row result of the program procedures.</summary>
internal sealed record ProgramRow(
    string Status, Guid? Id, string? Name, string? Currency, long? ReferrerReward, long? RefereeReward,
    long? MinimumOrderAmount, int? MaxRewardsPerReferrer, string? ProgramStatus, DateTime? CreatedAt, DateTime? UpdatedAt)
{
    public ProgramResponse ToResponse() => new(Id!.Value, Name!, Currency!.Trim(), ReferrerReward!.Value, RefereeReward!.Value,
        MinimumOrderAmount!.Value, MaxRewardsPerReferrer, ProgramStatus!, CreatedAt!.Value.AsUtc(), UpdatedAt!.Value.AsUtc());
}
