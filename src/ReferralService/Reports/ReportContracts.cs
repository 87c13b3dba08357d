namespace ReferralService.Reports;

internal sealed record TrialBalanceResponse(bool Balanced, IReadOnlyList<CurrencyTrialBalance> Currencies);

internal sealed record CurrencyTrialBalance(
    string Currency, long PostedDebits, long PostedCredits, long PendingDebits, long PendingCredits, bool Balanced);

internal sealed record LedgerCheckResponse(bool Ok, IReadOnlyList<LedgerViolation> Violations);

internal sealed record LedgerViolation(string Invariant, long? AccountId, string? Currency, string Detail);

internal sealed record TrialBalanceRow(string Currency, long PostedDebits, long PostedCredits, long PendingDebits, long PendingCredits);

internal sealed record LedgerViolationRow(string Invariant, long? AccountId, string? Currency, string Detail);
