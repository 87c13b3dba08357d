using System.ComponentModel.DataAnnotations;
using ReferralService.Infrastructure;

namespace ReferralService.Redemptions;

public sealed record RedeemRequest(
    [property: Required, Code] string Code,
    [property: Required, CustomerId] string CustomerId,
    [property: OrderId] string? OrderId);

public sealed record QualifyRequest(
    [property: Required, OrderId] string OrderId,
    [property: Amount] long OrderAmount);

public sealed record ReverseRedemptionRequest(
    [property: Required, FreeText(200)] string Reason);

internal sealed record RewardResponse(string CustomerId, string Role, long Amount, string Currency, string Status, long? Shortfall);

internal sealed record RedemptionResponse(
    Guid Id, Guid ProgramId, string Code, string ReferrerId, string RefereeId, string? OrderId, string Status,
    IReadOnlyList<RewardResponse> Rewards, string? QualifyingOrderId, long? OrderAmount, string? ReversalReason,
    DateTime CreatedAt, DateTime? QualifiedAt, DateTime? ReversedAt);

/// <summary>A redemption as the redemption procedures answer (redemption_row after its status column).</summary>
internal sealed record RedemptionRow(
    Guid Id, Guid ProgramId, string Code, string ReferrerId, string RefereeId, string? OrderId,
    string RedemptionStatus, string Currency, long ReferrerReward, long RefereeReward, long? ReferrerShortfall,
    long? RefereeShortfall, string? QualifyingOrderId, long? OrderAmount, string? ReversalReason,
    DateTime CreatedAt, DateTime? QualifiedAt, DateTime? ReversedAt, string Kind, long Discount)
{
    public RedemptionResponse ToResponse()
    {
        // A reward follows its redemption: pending until qualified (posted); a reversal voids a
        // pending reward and reverses a posted one.
        var rewardStatus = RedemptionStatus switch
        {
            "pending" => "pending",
            "rewarded" => "posted",
            _ => QualifiedAt is null ? "voided" : "reversed",
        };
        var currency = Currency.Trim();
        return new RedemptionResponse(Id, ProgramId, Code, ReferrerId, RefereeId, OrderId, RedemptionStatus,
            [
                new RewardResponse(ReferrerId, "referrer", ReferrerReward, currency, rewardStatus, ReferrerShortfall),
                new RewardResponse(RefereeId, "referee", RefereeReward, currency, rewardStatus, RefereeShortfall),
            ],
            QualifyingOrderId, OrderAmount, ReversalReason, CreatedAt.AsUtc(), QualifiedAt?.AsUtc(), ReversedAt?.AsUtc());
    }
}
