using System.ComponentModel.DataAnnotations;
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

/// <summary>A program as the program procedures answer (program_row after its status column).</summary>
internal sealed record ProgramRow(
    Guid Id, string Name, string Currency, long ReferrerReward, long RefereeReward,
    long MinimumOrderAmount, int? MaxRewardsPerReferrer, string ProgramStatus, DateTime CreatedAt, DateTime UpdatedAt,
    string Kind, string? OfferType, int? OfferPercentOff, long? OfferMaxDiscount, long? OfferAmount, long? CommissionAmount,
    int? CommissionBasisPoints, long? CommissionMax, DateTime? StartsAt, DateTime? EndsAt, int? MaxRedemptionsPerCode,
    int? MaxRedemptionsPerCustomer, bool NewCustomersOnly)
{
    public ProgramResponse ToResponse() => new(Id, Name, Currency.Trim(), ReferrerReward, RefereeReward,
        MinimumOrderAmount, MaxRewardsPerReferrer, ProgramStatus, CreatedAt.AsUtc(), UpdatedAt.AsUtc());
}
