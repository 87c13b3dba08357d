namespace ReferralService.Tests.Support;

internal sealed class ProgramsClient(HttpClient http) : FeatureClient(http)
{
    public Task<Response<ReferralProgram>> CreateProgramAsync(NewProgram program, string? idempotencyKey = null) =>
        PostAsync<ReferralProgram>("/v1/programs", program, idempotencyKey);

    /// <summary>A body sent as written, for the malformed ones no record can express.</summary>
    public Task<Response<ReferralProgram>> CreateProgramAsync(HttpContent body) =>
        SendAsync<ReferralProgram>(HttpMethod.Post, "/v1/programs", body, idempotencyKey: null);

    public Task<Response<ReferralProgram>> GetProgramAsync(Guid programId) => GetAsync<ReferralProgram>($"/v1/programs/{programId}");

    public Task<Response<ReferralProgram>> UpdateProgramAsync(Guid programId, ProgramChange change) =>
        PatchAsync<ReferralProgram>($"/v1/programs/{programId}", change);

    /// <summary>A PATCH body as written, for explicit nulls (a record leaves its null fields out).</summary>
    public Task<Response<ReferralProgram>> PatchProgramAsync(Guid programId, IReadOnlyDictionary<string, object?> body) =>
        PatchAsync<ReferralProgram>($"/v1/programs/{programId}", body);
}

/// <summary>A program to create; null fields are left out of the request.</summary>
internal sealed record NewProgram(
    string Name, string Currency, long? ReferrerReward, long? RefereeReward, long? MinimumOrderAmount, int? MaxRewardsPerReferrer = null,
    string? Kind = null, Offer? Offer = null, Offer? RefereeOffer = null, Commission? Commission = null,
    DateTimeOffset? StartsAt = null, DateTimeOffset? EndsAt = null, int? MaxRedemptionsPerCode = null,
    int? MaxRedemptionsPerCustomer = null, bool? NewCustomersOnly = null, ProgramLinks? Links = null, int? HoldDays = null,
    int? QualifyWithinDays = null, int? CreditExpiryDays = null, long? Budget = null)
{
    public static NewProgram Promo(Offer offer, string currency = "USD") =>
        new("Spring promo", currency, null, null, null, Kind: "promo", Offer: offer);

    public static NewProgram Partner(Offer offer, Commission commission, string currency = "USD") =>
        new("Partners", currency, null, null, null, Kind: "partner", Offer: offer, Commission: commission);
}

/// <summary>An offer as sent and as answered: a discount (percentOff with maxDiscount, or amountOff) or credit (amount).</summary>
internal sealed record Offer(string Type, int? PercentOff = null, long? MaxDiscount = null, long? AmountOff = null, long? Amount = null)
{
    public static Offer PercentOffer(int basisPoints, long? maxDiscount = null) => new("discount", PercentOff: basisPoints, MaxDiscount: maxDiscount);

    public static Offer AmountOffer(long amountOff) => new("discount", AmountOff: amountOff);

    public static Offer Credit(long amount) => new("credit", Amount: amount);
}

internal sealed record Commission(long? Amount = null, int? BasisPoints = null, long? Max = null);

/// <summary>What a PATCH changes; a null field is left out and stays as it is.</summary>
internal sealed record ProgramChange(
    string? Status = null, int? MaxRewardsPerReferrer = null, long? MinimumOrderAmount = null, string? Name = null,
    Offer? Offer = null, Commission? Commission = null, DateTimeOffset? StartsAt = null, DateTimeOffset? EndsAt = null,
    int? MaxRedemptionsPerCode = null, int? MaxRedemptionsPerCustomer = null, bool? NewCustomersOnly = null, ProgramLinks? Links = null,
    int? HoldDays = null, int? QualifyWithinDays = null, int? CreditExpiryDays = null, long? Budget = null);

/// <summary>A program's link settings, as sent (null fields left out) and as answered (null when not set).</summary>
internal sealed record ProgramLinks(
    string? LandingUrl = null, string? IosAppStoreUrl = null, string? AndroidPackage = null, string? DeepLinkTemplate = null,
    string? ShareTextTemplate = null);

internal sealed record ReferralProgram(
    Guid Id, string Name, string Kind, string Currency, long ReferrerReward, long RefereeReward, Offer? RefereeOffer, Offer? Offer,
    Commission? Commission, long MinimumOrderAmount, int? MaxRewardsPerReferrer, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt,
    int? MaxRedemptionsPerCode, int? MaxRedemptionsPerCustomer, bool NewCustomersOnly, ProgramLinks Links, string Status, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, int? HoldDays, int? QualifyWithinDays, int? CreditExpiryDays, long? Budget, long? Committed, long? Remaining);
