namespace ReferralService.Reports;

internal sealed record TrialBalanceResponse(bool Balanced, IReadOnlyList<CurrencyTrialBalance> Currencies);

/// <summary>Sums are whole numbers of minor units; decimal, since a currency's total can pass 2^63.</summary>
internal sealed record CurrencyTrialBalance(
    string Currency, decimal PostedDebits, decimal PostedCredits, decimal PendingDebits, decimal PendingCredits, bool Balanced);

internal sealed record LedgerCheckResponse(bool Ok, IReadOnlyList<LedgerViolation> Violations);

internal sealed record LedgerViolation(string Invariant, long? AccountId, string? Currency, string Detail);

internal sealed record TrialBalanceRow(string Currency, decimal PostedDebits, decimal PostedCredits, decimal PendingDebits, decimal PendingCredits);

internal sealed record LedgerViolationRow(string Invariant, long? AccountId, string? Currency, string Detail);
