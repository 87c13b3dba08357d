using ReferralService.Data;
using ReferralService.Infrastructure;

namespace ReferralService.Redemptions;

[Procedure("redeem", ProcedureKind.Write)]
internal sealed record RedeemCall(
    Guid Id, string Code, string CustomerId, string? OrderId, long? OrderAmount, string? Currency, int? CustomerOrderCount,
    Guid? ClickId, DateTimeOffset Now, Idempotency Idempotency)
    : IProcedureCall<Outcome<RedemptionRow>>;

[Procedure("qualify_redemption", ProcedureKind.Write)]
internal sealed record QualifyRedemptionCall(Guid Id, string OrderId, long OrderAmount, DateTimeOffset Now, Idempotency Idempotency)
    : IProcedureCall<Outcome<RedemptionRow>>;

[Procedure("reverse_redemption", ProcedureKind.Write)]
internal sealed record ReverseRedemptionCall(Guid Id, string Reason, DateTimeOffset Now, Idempotency Idempotency)
    : IProcedureCall<Outcome<RedemptionRow>>;

[Procedure("get_redemption", ProcedureKind.Lookup)]
internal sealed record GetRedemptionCall(Guid Id) : IProcedureCall<Outcome<RedemptionRow>>;

internal sealed class RedemptionStore(Db db)
{
    public Guid NewId() => db.NewId();

    public Task<Outcome<RedemptionRow>> RedeemAsync(
        Guid id, RedeemRequest r, DateTimeOffset now, Idempotency idempotency, CancellationToken ct) =>
        db.QuerySingleAsync(new RedeemCall(
            Id: id, Code: Inputs.NormalizeCode(r.Code), CustomerId: r.CustomerId, OrderId: r.OrderId, OrderAmount: r.OrderAmount,
            Currency: r.Currency, CustomerOrderCount: r.CustomerOrderCount, ClickId: r.ClickId, Now: now, Idempotency: idempotency), ct);

    public Task<Outcome<RedemptionRow>> QualifyAsync(
        Guid id, QualifyRequest r, DateTimeOffset now, Idempotency idempotency, CancellationToken ct) =>
        db.QuerySingleAsync(new QualifyRedemptionCall(
            Id: id, OrderId: r.OrderId, OrderAmount: r.OrderAmount, Now: now, Idempotency: idempotency), ct);

    public Task<Outcome<RedemptionRow>> ReverseAsync(
        Guid id, ReverseRedemptionRequest r, DateTimeOffset now, Idempotency idempotency, CancellationToken ct) =>
        db.QuerySingleAsync(new ReverseRedemptionCall(Id: id, Reason: r.Reason, Now: now, Idempotency: idempotency), ct);

    public Task<Outcome<RedemptionRow>> GetAsync(Guid id, CancellationToken ct) => db.QuerySingleAsync(new GetRedemptionCall(Id: id), ct);
}
