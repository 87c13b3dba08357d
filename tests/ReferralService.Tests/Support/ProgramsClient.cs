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
}

internal sealed record NewProgram(
    string Name, string Currency, long ReferrerReward, long RefereeReward, long MinimumOrderAmount, int? MaxRewardsPerReferrer = null);

/// <summary>What a PATCH changes; a null field is left out and stays as it is.</summary>
internal sealed record ProgramChange(string? Status = null, int? MaxRewardsPerReferrer = null, long? MinimumOrderAmount = null);

internal sealed record ReferralProgram(
    Guid Id, string Name, string Currency, long ReferrerReward, long RefereeReward, long MinimumOrderAmount,
    int? MaxRewardsPerReferrer, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
