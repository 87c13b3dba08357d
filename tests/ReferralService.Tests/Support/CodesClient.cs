namespace ReferralService.Tests.Support;

internal sealed class CodesClient(HttpClient http) : FeatureClient(http)
{
    /// <summary>Created the first time, OK after.</summary>
    public Task<Response<ReferralCode>> GetOrCreateCodeAsync(Guid programId, string customerId) =>
        PutAsync<ReferralCode>($"/v1/programs/{programId}/customers/{Escaped(customerId)}/referral-code");

    /// <summary>Whether the customer could redeem the code, and if not, why.</summary>
    public Task<Response<CodeCheck>> CheckCodeAsync(string code, string? customerId = null) =>
        GetAsync<CodeCheck>(WithQuery($"/v1/codes/{Escaped(code)}", ("customerId", customerId)));

    /// <summary>The dry run of a redemption at checkout.</summary>
    public Task<Response<CodeCheck>> CheckCodeAsync(Checkout checkout) =>
        GetAsync<CodeCheck>(WithQuery($"/v1/codes/{Escaped(checkout.Code)}", ("customerId", checkout.CustomerId),
            ("orderAmount", checkout.OrderAmount?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("currency", checkout.Currency),
            ("customerOrderCount", checkout.CustomerOrderCount?.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    public Task<Response<CodeResource>> CreateCodeAsync(Guid programId, NewCode code, string? idempotencyKey = null) =>
        PostAsync<CodeResource>($"/v1/programs/{programId}/codes", code, idempotencyKey);
}

internal sealed record ReferralCode(string Code, Guid ProgramId, string CustomerId, Uri ShareUrl);

internal sealed record CodeCheck(
    string Code, Guid ProgramId, string? OwnerId, bool Valid, string? Reason, string Kind, long? Discount, long Credit);

internal sealed record NewCode(string Code, string? OwnerId = null, int? MaxRedemptions = null, DateTimeOffset? ExpiresAt = null);

/// <summary>A code of any kind (personal, vanity or batch).</summary>
internal sealed record CodeResource(
    string Code, Guid ProgramId, string? OwnerId, string Source, string Status, int? MaxRedemptions, DateTimeOffset? ExpiresAt,
    Guid? BatchId, DateTimeOffset CreatedAt);
