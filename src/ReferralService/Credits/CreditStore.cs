using ReferralService.Data;
using ReferralService.Infrastructure;

namespace ReferralService.Credits;

[Procedure("get_balances", ProcedureKind.Lookup)]
internal sealed record GetBalancesCall(string CustomerId, DateTimeOffset Now) : IProcedureCall<BalanceRow>;

[Procedure("list_transactions", ProcedureKind.Read)]
internal sealed record ListTransactionsCall(string CustomerId, long? StartingAfter, int PageSize) : IProcedureCall<TransactionRow>;

[Procedure("spend_credit", ProcedureKind.Write)]
internal sealed record SpendCreditCall(
    Guid Id, string CustomerId, long Amount, string Currency, string OrderId, DateTimeOffset Now, Idempotency Idempotency)
    : IProcedureCall<Outcome<SpendRow>>;

[Procedure("reverse_spend", ProcedureKind.Write)]
internal sealed record ReverseSpendCall(Guid Id, DateTimeOffset Now, Idempotency Idempotency) : IProcedureCall<Outcome<SpendRow>>;

[Procedure("get_spend", ProcedureKind.Lookup)]
internal sealed record GetSpendCall(Guid Id, string CustomerId) : IProcedureCall<Outcome<SpendRow>>;

/// <summary>The credit procedures; every one whose answer depends on time gets the service clock's now (Clock:Offset).</summary>
internal sealed class CreditStore(Db db, TimeProvider time)
{
    public Guid NewId() => db.NewId();

    public Task<IReadOnlyList<BalanceRow>> GetBalancesAsync(string customerId, CancellationToken ct) =>
        db.QueryAsync(new GetBalancesCall(CustomerId: customerId, Now: time.GetUtcNow()), ct);

    public Task<IReadOnlyList<TransactionRow>> ListTransactionsAsync(string customerId, long? startingAfter, int pageSize, CancellationToken ct) =>
        db.QueryAsync(new ListTransactionsCall(CustomerId: customerId, StartingAfter: startingAfter, PageSize: pageSize), ct);

    public Task<Outcome<SpendRow>> SpendAsync(Guid id, string customerId, SpendRequest r, Idempotency idempotency, CancellationToken ct) =>
        db.QuerySingleAsync(new SpendCreditCall(
            Id: id, CustomerId: customerId, Amount: r.Amount, Currency: r.Currency, OrderId: r.OrderId, Now: time.GetUtcNow(),
            Idempotency: idempotency), ct);

    public Task<Outcome<SpendRow>> GetSpendAsync(Guid id, string customerId, CancellationToken ct) =>
        db.QuerySingleAsync(new GetSpendCall(Id: id, CustomerId: customerId), ct);

    public Task<Outcome<SpendRow>> ReverseSpendAsync(Guid id, Idempotency idempotency, CancellationToken ct) =>
        db.QuerySingleAsync(new ReverseSpendCall(Id: id, Now: time.GetUtcNow(), Idempotency: idempotency), ct);
}
