using ReferralService.Data;
using ReferralService.Infrastructure;

namespace ReferralService.Programs;

[Procedure("create_program", ProcedureKind.Write)]
internal sealed record CreateProgramCall(
    Guid Id, string Name, string Currency, string Kind, long ReferrerReward, long RefereeReward, long MinimumOrderAmount,
    int? MaxRewardsPerReferrer, string? OfferType, int? OfferPercentOff, long? OfferMaxDiscount, long? OfferAmount,
    long? CommissionAmount, int? CommissionBasisPoints, long? CommissionMax, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt,
    int? MaxRedemptionsPerCode, int? MaxRedemptionsPerCustomer, bool NewCustomersOnly, string? LandingUrl, string? IosAppStoreUrl,
    string? AndroidPackage, string? DeepLinkTemplate, string? ShareTextTemplate, int? HoldDays, int? QualifyWithinDays,
    int? CreditExpiryDays, long? Budget, Idempotency Idempotency)
    : IProcedureCall<Outcome<ProgramRow>>;

[Procedure("get_program", ProcedureKind.Lookup)]
internal sealed record GetProgramCall(Guid Id) : IProcedureCall<Outcome<ProgramRow>>;

// Sets the given fields to the given values: a repeat changes nothing more. An offer (or commission) is
// given whole: OfferType not null replaces all four offer columns. A link setting: NULL leaves it, '' clears it.
[Procedure("update_program", ProcedureKind.Write, RepeatSafe = true)]
internal sealed record UpdateProgramCall(
    Guid Id, string? Status, string? Name, int? MaxRewardsPerReferrer, long? MinimumOrderAmount, string? OfferType,
    int? OfferPercentOff, long? OfferMaxDiscount, long? OfferAmount, long? CommissionAmount, int? CommissionBasisPoints,
    long? CommissionMax, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, int? MaxRedemptionsPerCode,
    int? MaxRedemptionsPerCustomer, bool? NewCustomersOnly, string? LandingUrl, string? IosAppStoreUrl, string? AndroidPackage,
    string? DeepLinkTemplate, string? ShareTextTemplate, int? HoldDays, int? QualifyWithinDays, int? CreditExpiryDays, long? Budget)
    : IProcedureCall<Outcome<ProgramRow>>;

internal sealed class ProgramStore(Db db)
{
    public Guid NewId() => db.NewId();

    public Task<Outcome<ProgramRow>> CreateAsync(Guid id, CreateProgramRequest r, Idempotency idempotency, CancellationToken ct)
    {
        // A referral program's friend discount is stored as its offer (referee_reward 0).
        var offer = r.Offer ?? r.RefereeOffer;
        return db.QuerySingleAsync(new CreateProgramCall(
            Id: id, Name: r.Name, Currency: r.Currency, Kind: r.KindOrDefault, ReferrerReward: r.ReferrerReward ?? 0,
            RefereeReward: r.RefereeReward ?? 0, MinimumOrderAmount: r.MinimumOrderAmount ?? 0,
            MaxRewardsPerReferrer: r.MaxRewardsPerReferrer, OfferType: offer?.Type, OfferPercentOff: offer?.PercentOff,
            OfferMaxDiscount: offer?.MaxDiscount, OfferAmount: offer?.AmountOff ?? offer?.Amount,
            CommissionAmount: r.Commission?.Amount, CommissionBasisPoints: r.Commission?.BasisPoints, CommissionMax: r.Commission?.Max,
            StartsAt: r.StartsAt?.ToUniversalTime(), EndsAt: r.EndsAt?.ToUniversalTime(), MaxRedemptionsPerCode: r.MaxRedemptionsPerCode,
            MaxRedemptionsPerCustomer: r.MaxRedemptionsPerCustomer, NewCustomersOnly: r.NewCustomersOnly ?? false,
            LandingUrl: r.Links?.LandingUrl, IosAppStoreUrl: r.Links?.IosAppStoreUrl, AndroidPackage: r.Links?.AndroidPackage,
            DeepLinkTemplate: r.Links?.DeepLinkTemplate, ShareTextTemplate: r.Links?.ShareTextTemplate,
            HoldDays: r.HoldDays, QualifyWithinDays: r.QualifyWithinDays, CreditExpiryDays: r.CreditExpiryDays, Budget: r.Budget,
            Idempotency: idempotency), ct);
    }

    public Task<Outcome<ProgramRow>> GetAsync(Guid id, CancellationToken ct) => db.QuerySingleAsync(new GetProgramCall(Id: id), ct);

    public Task<Outcome<ProgramRow>> UpdateAsync(Guid id, UpdateProgramRequest r, CancellationToken ct) =>
        db.QuerySingleAsync(new UpdateProgramCall(
            Id: id, Status: r.Status, Name: r.Name, MaxRewardsPerReferrer: r.MaxRewardsPerReferrer,
            MinimumOrderAmount: r.MinimumOrderAmount, OfferType: r.Offer?.Type, OfferPercentOff: r.Offer?.PercentOff,
            OfferMaxDiscount: r.Offer?.MaxDiscount, OfferAmount: r.Offer?.AmountOff ?? r.Offer?.Amount,
            CommissionAmount: r.Commission?.Amount, CommissionBasisPoints: r.Commission?.BasisPoints, CommissionMax: r.Commission?.Max,
            StartsAt: r.StartsAt?.ToUniversalTime(), EndsAt: r.EndsAt?.ToUniversalTime(), MaxRedemptionsPerCode: r.MaxRedemptionsPerCode,
            MaxRedemptionsPerCustomer: r.MaxRedemptionsPerCustomer, NewCustomersOnly: r.NewCustomersOnly,
            LandingUrl: r.Links?.Change(nameof(ProgramLinksRequest.LandingUrl), r.Links.LandingUrl),
            IosAppStoreUrl: r.Links?.Change(nameof(ProgramLinksRequest.IosAppStoreUrl), r.Links.IosAppStoreUrl),
            AndroidPackage: r.Links?.Change(nameof(ProgramLinksRequest.AndroidPackage), r.Links.AndroidPackage),
            DeepLinkTemplate: r.Links?.Change(nameof(ProgramLinksRequest.DeepLinkTemplate), r.Links.DeepLinkTemplate),
            ShareTextTemplate: r.Links?.Change(nameof(ProgramLinksRequest.ShareTextTemplate), r.Links.ShareTextTemplate),
            HoldDays: r.HoldDays, QualifyWithinDays: r.QualifyWithinDays, CreditExpiryDays: r.CreditExpiryDays, Budget: r.Budget), ct);
}
