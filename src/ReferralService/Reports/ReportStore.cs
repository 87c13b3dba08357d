using ReferralService.Data;

namespace ReferralService.Reports;

internal sealed class ReportStore(Db db)
{
    public Task<IReadOnlyList<TrialBalanceRow>> TrialBalanceAsync(CancellationToken ct) =>
        db.QueryAsync<TrialBalanceRow>(Procedures.TrialBalance, [], ct);

    public Task<IReadOnlyList<LedgerViolationRow>> LedgerCheckAsync(CancellationToken ct) =>
        db.QueryAsync<LedgerViolationRow>(Procedures.LedgerCheck, [], ct);
}
