using ReferralService.Data;

namespace ReferralService.Reports;

[Procedure("trial_balance", ProcedureKind.Read)]
internal sealed record TrialBalanceCall : IProcedureCall<TrialBalanceRow>;

[Procedure("ledger_check", ProcedureKind.Read)]
internal sealed record LedgerCheckCall : IProcedureCall<LedgerViolationRow>;

internal sealed class ReportStore(Db db)
{
    public Task<IReadOnlyList<TrialBalanceRow>> TrialBalanceAsync(CancellationToken ct) => db.QueryAsync(new TrialBalanceCall(), ct);

    public Task<IReadOnlyList<LedgerViolationRow>> LedgerCheckAsync(CancellationToken ct) => db.QueryAsync(new LedgerCheckCall(), ct);
}
