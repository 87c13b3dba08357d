namespace ReferralService.Tests.Support;

internal sealed class RedemptionsClient(HttpClient http) : FeatureClient(http)
{
    public Task<Response<Redemption>> RedeemAsync(string code, string customerId, string? idempotencyKey = null) =>
        PostAsync<Redemption>("/v1/redemptions", new { code, customerId }, idempotencyKey);

    /// <summary>A redemption at checkout: the order, and what the shop knows of the customer.</summary>
    public Task<Response<Redemption>> RedeemAsync(Checkout checkout, string? idempotencyKey = null) =>
        PostAsync<Redemption>("/v1/redemptions", checkout, idempotencyKey);

    public Task<Response<Redemption>> QualifyAsync(Guid redemptionId, string orderId, long orderAmount, string? idempotencyKey = null) =>
        PostAsync<Redemption>($"/v1/redemptions/{redemptionId}/qualify", new { orderId, orderAmount }, idempotencyKey);

    public Task<Response<Redemption>> ReverseAsync(Guid redemptionId, string reason, string? idempotencyKey = null) =>
        PostAsync<Redemption>($"/v1/redemptions/{redemptionId}/reverse", new { reason }, idempotencyKey);

    public Task<Response<Redemption>> GetRedemptionAsync(Guid redemptionId) => GetAsync<Redemption>($"/v1/redemptions/{redemptionId}");
}

/// <summary>A redemption request with every field; null fields are left out.</summary>
internal sealed record Checkout(
    string Code, string CustomerId, string? OrderId = null, long? OrderAmount = null, string? Currency = null,
    int? CustomerOrderCount = null, Guid? ClickId = null);

internal sealed record Redemption(
    Guid Id, Guid ProgramId, string Code, string Kind, string? ReferrerId, string RefereeId, string? OrderId, string Status,
    long Discount, long Credit, IReadOnlyList<Reward> Rewards, string? QualifyingOrderId, long? OrderAmount, string? ReversalReason,
    DateTimeOffset CreatedAt, DateTimeOffset? QualifiedAt, DateTimeOffset? ReversedAt, Guid? ClickId, DateTimeOffset? QualifyBy,
    DateTimeOffset? AvailableAt, DateTimeOffset? ExpiredAt);

/// <summary>One side's reward: pending, posted, voided (reversed while pending) or reversed; shortfall is what a reversal could not claw back.</summary>
internal sealed record Reward(string CustomerId, string Role, long Amount, string Currency, string Status, long? Shortfall);
