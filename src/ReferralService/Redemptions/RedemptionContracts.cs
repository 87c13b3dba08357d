using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using ReferralService.Infrastructure;

namespace ReferralService.Redemptions;

/// <summary>
/// Promo and partner codes, and referral codes whose program gives the friend a discount, need orderId and
/// orderAmount (order_required without them). currency, when given, must be the program's; customerOrderCount is the
/// customer's earlier orders as the shop knows them (more than 0 is not_new_customer where the program is for new
/// customers only). clickId: the share-link click the customer came from (the redirect adds it to the landing URL as
/// click, and Android's install referrer carries it); it must be a click of this code (click_not_found). Without it, the
/// redemption records the click the customer claimed (POST /v1/attributions/claim), if that claim is of this code.
/// </summary>
public sealed record RedeemRequest(
    [property: Required, Code] string Code,
    [property: Required, CustomerId] string CustomerId,
    [property: OrderId] string? OrderId,
    [property: Amount(minimum: 0)] long? OrderAmount = null,
    [property: RegularExpression(Inputs.CurrencyPattern, ErrorMessage = Inputs.CurrencyRule)] string? Currency = null,
    [property: Range(0, int.MaxValue, ErrorMessage = "Zero or a positive whole number.")] int? CustomerOrderCount = null,
    // Left out of the idempotency hash when absent, so that a key stored before clickId existed replays its body.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? ClickId = null);

public sealed record QualifyRequest(
    [property: Required, OrderId] string OrderId,
    [property: Amount] long OrderAmount);

public sealed record ReverseRedemptionRequest(
    [property: Required, FreeText(200)] string Reason);

internal sealed record RewardResponse(string CustomerId, string Role, long Amount, string Currency, string Status, long? Shortfall);

/// <summary>
/// A redemption of any kind. status: pending (rewards pending until the order qualifies), held (qualified; its rewards
/// stay pending until availableAt, the end of the program's holdDays), rewarded (rewards posted), redeemed (a promo,
/// complete when made), reversed, or expired (not qualified by qualifyBy; its pending rewards were voided).
/// discount: what the offer took off the order (0 when none); credit: the redeemer's credit (0 when none). rewards: the
/// ledger legs, without zero amounts: "referrer" for the code owner's reward or commission, "referee" for the
/// redeemer's credit. clickId: the share-link click the redemption is attributed to, if any. qualifyBy: the deadline
/// for the qualifying order (programs with qualifyWithinDays); availableAt: when held rewards post; expiredAt: when
/// the redemption expired.
/// </summary>
internal sealed record RedemptionResponse(
    Guid Id, Guid ProgramId, string Code, string Kind, string? ReferrerId, string RefereeId, string? OrderId, string Status,
    long Discount, long Credit, IReadOnlyList<RewardResponse> Rewards, string? QualifyingOrderId, long? OrderAmount,
    string? ReversalReason, DateTime CreatedAt, DateTime? QualifiedAt, DateTime? ReversedAt, Guid? ClickId,
    DateTime? QualifyBy, DateTime? AvailableAt, DateTime? ExpiredAt);

/// <summary>A redemption as the redemption procedures answer (redemption_row after its status column).</summary>
internal sealed record RedemptionRow(
    Guid Id, Guid ProgramId, string Code, string? ReferrerId, string RefereeId, string? OrderId,
    string RedemptionStatus, string Currency, long ReferrerReward, long RefereeReward, long? ReferrerShortfall,
    long? RefereeShortfall, string? QualifyingOrderId, long? OrderAmount, string? ReversalReason,
    DateTime CreatedAt, DateTime? QualifiedAt, DateTime? ReversedAt, string Kind, long Discount, Guid? ClickId,
    DateTime? QualifyBy, DateTime? AvailableAt, DateTime? ExpiredAt)
{
    public RedemptionResponse ToResponse()
    {
        // A reward follows its redemption: pending until qualified (posted), or until its hold ends (held); a promo's
        // credit is posted at once; expiry voids a pending reward; a reversal voids a pending or held reward and
        // reverses a posted one. Only reversing a posted reward records a shortfall (0 when all was taken back), so
        // the shortfalls say which it was, even for a hold that had ended but had not been posted yet.
        var rewardStatus = RedemptionStatus switch
        {
            "pending" or "held" => "pending",
            "rewarded" or "redeemed" => "posted",
            "expired" => "voided",
            _ => ReferrerShortfall is null && RefereeShortfall is null ? "voided" : "reversed",
        };
        var currency = Currency.Trim();
        List<RewardResponse> rewards = [];
        if (ReferrerId is not null && ReferrerReward > 0)
        {
            rewards.Add(new RewardResponse(ReferrerId, "referrer", ReferrerReward, currency, rewardStatus, ReferrerShortfall));
        }
        if (RefereeReward > 0)
        {
            rewards.Add(new RewardResponse(RefereeId, "referee", RefereeReward, currency, rewardStatus, RefereeShortfall));
        }
        return new RedemptionResponse(Id, ProgramId, Code, Kind, ReferrerId, RefereeId, OrderId, RedemptionStatus, Discount, RefereeReward,
            rewards, QualifyingOrderId, OrderAmount, ReversalReason, CreatedAt.AsUtc(), QualifiedAt?.AsUtc(), ReversedAt?.AsUtc(), ClickId,
            QualifyBy?.AsUtc(), AvailableAt?.AsUtc(), ExpiredAt?.AsUtc());
    }
}
