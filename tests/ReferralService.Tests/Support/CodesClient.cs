namespace ReferralService.Tests.Support;

internal sealed class CodesClient(HttpClient http) : FeatureClient(http)
{
    /// <summary>Created the first time, OK after.</summary>
    public Task<Response<ReferralCode>> GetOrCreateCodeAsync(Guid programId, string customerId) =>
        PutAsync<ReferralCode>($"/v1/programs/{programId}/customers/{Escaped(customerId)}/referral-code");

    /// <summary>Whether the customer could redeem the code, and if not, why.</summary>
    public Task<Response<CodeCheck>> CheckCodeAsync(string code, string? customerId = null) =>
        GetAsync<CodeCheck>(WithQuery($"/v1/codes/{Escaped(code)}", ("customerId", customerId)));
}

internal sealed record ReferralCode(string Code, Guid ProgramId, string CustomerId, Uri ShareUrl);

internal sealed record CodeCheck(string Code, Guid ProgramId, string OwnerId, bool Valid, string? Reason);
