using System.ComponentModel.DataAnnotations;
using ReferralService.Infrastructure;

namespace ReferralService.Programs;

/// <summary>The rule of the day-count settings (holdDays, qualifyWithinDays, creditExpiryDays).</summary>
internal static class ProgramDays
{
    /// <summary>A hundred years: far beyond any real setting, and well inside both engines' date ranges.</summary>
    public const int Max = 36_500;

    public const string Rule = "A positive whole number of days, at most 36500.";
}

/// <summary>What a program is: which side gets what (README, "Program kinds").</summary>
internal static class ProgramKinds
{
    public const string Referral = "referral";
    public const string Promo = "promo";
    public const string Partner = "partner";
    public const string Pattern = "^(referral|promo|partner)$";
}

/// <summary>
/// What a code gives the shopper who uses it: a discount on the order (<c>percentOff</c> in basis points with an
/// optional <c>maxDiscount</c>, or <c>amountOff</c>) or credit (<c>amount</c>, posted to their balance).
/// </summary>
public sealed record OfferRequest(
    [property: Required, RegularExpression("^(discount|credit)$", ErrorMessage = "discount or credit.")] string Type,
    [property: Range(1, 10_000, ErrorMessage = "Basis points from 1 to 10000 (100%).")] int? PercentOff,
    [property: Amount] long? MaxDiscount,
    [property: Amount] long? AmountOff,
    [property: Amount] long? Amount) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Type == "discount" && (PercentOff is null) == (AmountOff is null))
        {
            yield return new("A discount has either percentOff or amountOff.", [nameof(PercentOff), nameof(AmountOff)]);
        }
        if (Type == "discount" && (Amount is not null || (AmountOff is not null && MaxDiscount is not null)))
        {
            yield return new("A discount takes percentOff (with an optional maxDiscount) or amountOff, nothing else.", [nameof(Amount), nameof(MaxDiscount)]);
        }
        if (Type == "credit" && (Amount is null || PercentOff is not null || MaxDiscount is not null || AmountOff is not null))
        {
            yield return new("A credit offer takes amount only.", [nameof(Amount)]);
        }
    }
}

/// <summary>A partner's earning per qualified order: a fixed <c>amount</c>, or <c>basisPoints</c> of the order with an optional <c>max</c>.</summary>
public sealed record CommissionRequest(
    [property: Amount] long? Amount,
    [property: Range(1, 10_000, ErrorMessage = "Basis points from 1 to 10000 (100%).")] int? BasisPoints,
    [property: Amount] long? Max) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if ((Amount is null) == (BasisPoints is null) || (Amount is not null && Max is not null))
        {
            yield return new("A commission is an amount, or basisPoints with an optional max.", [nameof(Amount), nameof(BasisPoints)]);
        }
    }
}

public sealed record CreateProgramRequest(
    [property: Required, FreeText(200)] string Name,
    [property: Required, RegularExpression(Inputs.CurrencyPattern, ErrorMessage = Inputs.CurrencyRule)] string Currency,
    [property: RegularExpression(ProgramKinds.Pattern, ErrorMessage = "referral, promo or partner.")] string? Kind,
    [property: Amount] long? ReferrerReward,
    [property: Amount] long? RefereeReward,
    OfferRequest? RefereeOffer,
    OfferRequest? Offer,
    CommissionRequest? Commission,
    [property: Amount(minimum: 0)] long? MinimumOrderAmount,
    [property: Range(1, int.MaxValue, ErrorMessage = "A positive whole number.")] int? MaxRewardsPerReferrer,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    [property: Range(1, int.MaxValue, ErrorMessage = "A positive whole number.")] int? MaxRedemptionsPerCode,
    [property: Range(1, int.MaxValue, ErrorMessage = "A positive whole number.")] int? MaxRedemptionsPerCustomer,
    bool? NewCustomersOnly,
    ProgramLinksRequest? Links,
    [property: Range(1, ProgramDays.Max, ErrorMessage = ProgramDays.Rule)] int? HoldDays = null,
    [property: Range(1, ProgramDays.Max, ErrorMessage = ProgramDays.Rule)] int? QualifyWithinDays = null,
    [property: Range(1, ProgramDays.Max, ErrorMessage = ProgramDays.Rule)] int? CreditExpiryDays = null,
    [property: Amount] long? Budget = null) : IValidatableObject
{
    public string KindOrDefault => Kind ?? ProgramKinds.Referral;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        static ValidationResult Needs(string field, string kind) => new($"A {kind} program needs {field}.", [field]);
        static ValidationResult Takes(string field, string kind, string why = "") => new($"A {kind} program does not take {field}{why}.", [field]);
        static string Json(string name) => char.ToLowerInvariant(name[0]) + name[1..];

        var kind = KindOrDefault;
        if (kind == ProgramKinds.Referral)
        {
            if (ReferrerReward is null) { yield return Needs(Json(nameof(ReferrerReward)), kind); }
            if ((RefereeReward is null) == (RefereeOffer is null))
            {
                yield return new("A referral program gives the friend either refereeReward (credit) or refereeOffer (a discount).",
                    [Json(nameof(RefereeReward)), Json(nameof(RefereeOffer))]);
            }
            if (RefereeOffer is { Type: not "discount" }) { yield return new("refereeOffer is a discount; credit is refereeReward.", [Json(nameof(RefereeOffer))]); }
            if (Offer is not null) { yield return Takes(Json(nameof(Offer)), kind); }
            if (Commission is not null) { yield return Takes(Json(nameof(Commission)), kind); }
            if (MaxRedemptionsPerCode is not null) { yield return Takes(Json(nameof(MaxRedemptionsPerCode)), kind, " (its cap is maxRewardsPerReferrer)"); }
            if (MaxRedemptionsPerCustomer is not null) { yield return Takes(Json(nameof(MaxRedemptionsPerCustomer)), kind, " (a friend is referred once)"); }
            if (NewCustomersOnly is not null) { yield return Takes(Json(nameof(NewCustomersOnly)), kind); }
        }
        else
        {
            if (Offer is null) { yield return Needs(Json(nameof(Offer)), kind); }
            if (ReferrerReward is not null) { yield return Takes(Json(nameof(ReferrerReward)), kind); }
            if (RefereeReward is not null) { yield return Takes(Json(nameof(RefereeReward)), kind); }
            if (RefereeOffer is not null) { yield return Takes(Json(nameof(RefereeOffer)), kind); }
            if (MaxRewardsPerReferrer is not null) { yield return Takes(Json(nameof(MaxRewardsPerReferrer)), kind); }
            if (kind == ProgramKinds.Partner && Commission is null) { yield return Needs(Json(nameof(Commission)), kind); }
            if (kind == ProgramKinds.Promo && Commission is not null) { yield return Takes(Json(nameof(Commission)), kind); }
            if (kind == ProgramKinds.Promo && HoldDays is not null) { yield return Takes(Json(nameof(HoldDays)), kind, " (its redemptions are complete when made)"); }
            if (kind == ProgramKinds.Promo && QualifyWithinDays is not null) { yield return Takes(Json(nameof(QualifyWithinDays)), kind, " (its redemptions are complete when made)"); }
        }
        if (StartsAt is { } starts && EndsAt is { } ends && starts >= ends)
        {
            yield return new("startsAt must be before endsAt.", [Json(nameof(StartsAt)), Json(nameof(EndsAt))]);
        }
    }
}

/// <summary>
/// What a PATCH changes; an absent field stays as it is. <c>offer</c> and <c>commission</c> replace the whole
/// offer or commission (promo and partner programs); the offer only while the program has no redemptions.
/// <c>links</c> is merged field by field (see <see cref="ProgramLinksRequest"/>). A program's kind is fixed when it is created.
/// The time settings apply from then on; a budget can be set or changed (recounting what the program has committed),
/// not removed: <c>budget: null</c> reads as absent, like every other field.
/// </summary>
public sealed record UpdateProgramRequest(
    [property: RegularExpression("^(active|paused|ended)$")] string? Status,
    [property: FreeText(200)] string? Name,
    [property: Range(1, int.MaxValue, ErrorMessage = "A positive whole number.")] int? MaxRewardsPerReferrer,
    [property: Amount(minimum: 0)] long? MinimumOrderAmount,
    OfferRequest? Offer,
    CommissionRequest? Commission,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    [property: Range(1, int.MaxValue, ErrorMessage = "A positive whole number.")] int? MaxRedemptionsPerCode,
    [property: Range(1, int.MaxValue, ErrorMessage = "A positive whole number.")] int? MaxRedemptionsPerCustomer,
    bool? NewCustomersOnly,
    ProgramLinksRequest? Links,
    [property: Range(1, ProgramDays.Max, ErrorMessage = ProgramDays.Rule)] int? HoldDays = null,
    [property: Range(1, ProgramDays.Max, ErrorMessage = ProgramDays.Rule)] int? QualifyWithinDays = null,
    [property: Range(1, ProgramDays.Max, ErrorMessage = ProgramDays.Rule)] int? CreditExpiryDays = null,
    [property: Amount] long? Budget = null) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StartsAt is { } starts && EndsAt is { } ends && starts >= ends)
        {
            yield return new("startsAt must be before endsAt.", ["startsAt", "endsAt"]);
        }
    }
}

/// <summary>An offer as programs answer it: the fields of its type, the others absent (null).</summary>
internal sealed record OfferResponse(string Type, int? PercentOff, long? MaxDiscount, long? AmountOff, long? Amount);

internal sealed record CommissionResponse(long? Amount, int? BasisPoints, long? Max);

/// <summary>
/// A program. holdDays, qualifyWithinDays, creditExpiryDays: its time settings (null: none). budget: the most it may
/// grant (null: no budget); committed: what its live redemptions give (rewards, commission, credit and discounts of
/// pending, held, rewarded and redeemed redemptions); remaining: budget - committed. committed and remaining are null
/// without a budget (only a program with a budget keeps count).
/// </summary>
internal sealed record ProgramResponse(
    Guid Id, string Name, string Kind, string Currency, long ReferrerReward, long RefereeReward, OfferResponse? RefereeOffer,
    OfferResponse? Offer, CommissionResponse? Commission, long MinimumOrderAmount, int? MaxRewardsPerReferrer,
    DateTime? StartsAt, DateTime? EndsAt, int? MaxRedemptionsPerCode, int? MaxRedemptionsPerCustomer, bool NewCustomersOnly,
    ProgramLinksResponse Links, string Status, DateTime CreatedAt, DateTime UpdatedAt, int? HoldDays, int? QualifyWithinDays,
    int? CreditExpiryDays, long? Budget, long? Committed, long? Remaining);

/// <summary>A program as the program procedures answer (program_row after its status column).</summary>
internal sealed record ProgramRow(
    Guid Id, string Name, string Currency, long ReferrerReward, long RefereeReward,
    long MinimumOrderAmount, int? MaxRewardsPerReferrer, string ProgramStatus, DateTime CreatedAt, DateTime UpdatedAt,
    string Kind, string? OfferType, int? OfferPercentOff, long? OfferMaxDiscount, long? OfferAmount, long? CommissionAmount,
    int? CommissionBasisPoints, long? CommissionMax, DateTime? StartsAt, DateTime? EndsAt, int? MaxRedemptionsPerCode,
    int? MaxRedemptionsPerCustomer, bool NewCustomersOnly, string? LandingUrl, string? IosAppStoreUrl, string? AndroidPackage,
    string? DeepLinkTemplate, string? ShareTextTemplate,
    int? HoldDays, int? QualifyWithinDays, int? CreditExpiryDays, long? Budget, long? Committed)
{
    public ProgramResponse ToResponse()
    {
        // offer_amount is a discount's amountOff or a credit offer's amount.
        var offer = OfferType switch
        {
            null => null,
            "discount" => new OfferResponse(OfferType, OfferPercentOff, OfferMaxDiscount, OfferAmount, null),
            _ => new OfferResponse(OfferType, null, null, null, OfferAmount),
        };
        var commission = CommissionAmount is null && CommissionBasisPoints is null
            ? null
            : new CommissionResponse(CommissionAmount, CommissionBasisPoints, CommissionMax);
        var referral = Kind == ProgramKinds.Referral;
        return new(Id, Name, Kind, Currency.Trim(), ReferrerReward, RefereeReward, referral ? offer : null, referral ? null : offer,
            commission, MinimumOrderAmount, MaxRewardsPerReferrer, StartsAt?.AsUtc(), EndsAt?.AsUtc(), MaxRedemptionsPerCode,
            MaxRedemptionsPerCustomer, NewCustomersOnly,
            new ProgramLinksResponse(LandingUrl, IosAppStoreUrl, AndroidPackage, DeepLinkTemplate, ShareTextTemplate),
            ProgramStatus, CreatedAt.AsUtc(), UpdatedAt.AsUtc(), HoldDays, QualifyWithinDays, CreditExpiryDays, Budget,
            Budget is null ? null : Committed ?? 0, Budget - (Committed ?? 0));
    }
}
