using ReferralService.Data;
using ReferralService.Infrastructure;

namespace ReferralService.Credits;

internal sealed class CreditStore(Db db)
{
    public Guid NewId() => db.NewId();

    public Task<IReadOnlyList<BalanceRow>> GetBalancesAsync(string customerId, CancellationToken ct) =>
        db.QueryAsync<BalanceRow>(Procedures.GetBalances, [customerId], ct);

    public Task<IReadOnlyList<TransactionRow>> ListTransactionsAsync(string customerId, long? startingAfter, int pageSize, CancellationToken ct) =>
        db.QueryAsync<TransactionRow>(Procedures.ListTransactions, [customerId, startingAfter, pageSize], ct);

    public Task<SpendRow> SpendAsync(Guid id, string customerId, SpendRequest r, Idempotency idempotency, CancellationToken ct) =>
        db.QuerySingleAsync<SpendRow>(Procedures.SpendCredit,
            [id, customerId, r.Amount, r.Currency, r.OrderId, .. idempotency.Arguments], idempotency.HasKey, ct);

    public Task<SpendRow> GetSpendAsync(Guid id, string customerId, CancellationToken ct) =>
        db.QuerySingleAsync<SpendRow>(Procedures.GetSpend, [id, customerId], idempotent: true, ct);

    public Task<SpendRow> ReverseSpendAsync(Guid id, Idempotency idempotency, CancellationToken ct) =>
        db.QuerySingleAsync<SpendRow>(Procedures.ReverseSpend, [id, .. idempotency.Arguments], idempotency.HasKey, ct);
}
