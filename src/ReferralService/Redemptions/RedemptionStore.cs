using ReferralService.Data;
using ReferralService.Infrastructure;

namespace ReferralService.Redemptions;

internal sealed class RedemptionStore(Db db)
{
    public Guid NewId() => db.NewId();

    public Task<RedemptionRow> RedeemAsync(Guid id, RedeemRequest r, Idempotency idempotency, CancellationToken ct) =>
        db.QuerySingleAsync<RedemptionRow>(Procedures.Redeem,
            [id, Inputs.NormalizeCode(r.Code), r.CustomerId, r.OrderId, .. idempotency.Arguments], idempotency.HasKey, ct);

    public Task<RedemptionRow> QualifyAsync(Guid id, QualifyRequest r, Idempotency idempotency, CancellationToken ct) =>
        db.QuerySingleAsync<RedemptionRow>(Procedures.QualifyRedemption,
            [id, r.OrderId, r.OrderAmount, .. idempotency.Arguments], idempotency.HasKey, ct);

    public Task<RedemptionRow> ReverseAsync(Guid id, ReverseRedemptionRequest r, Idempotency idempotency, CancellationToken ct) =>
        db.QuerySingleAsync<RedemptionRow>(Procedures.ReverseRedemption, [id, r.Reason, .. idempotency.Arguments], idempotency.HasKey, ct);

    public Task<RedemptionRow> GetAsync(Guid id, CancellationToken ct) =>
        db.QuerySingleAsync<RedemptionRow>(Procedures.GetRedemption, [id], idempotent: true, ct);
}
