namespace ReferralService.Tests.Support;

internal sealed class ReportsClient(HttpClient http) : FeatureClient(http)
{
    public Task<Response<TrialBalance>> TrialBalanceAsync() => GetAsync<TrialBalance>("/v1/reports/trial-balance");

    public Task<Response<LedgerCheck>> LedgerCheckAsync() => GetAsync<LedgerCheck>("/v1/reports/ledger-check");
}

internal sealed record TrialBalance(bool Balanced, IReadOnlyList<CurrencyTrialBalance> Currencies);

/// <summary>Sums in minor units, as decimals: a currency's total can pass 2^63.</summary>
internal sealed record CurrencyTrialBalance(
    string Currency, decimal PostedDebits, decimal PostedCredits, decimal PendingDebits, decimal PendingCredits, bool Balanced);

internal sealed record LedgerCheck(bool Ok, IReadOnlyList<LedgerViolation> Violations);

internal sealed record LedgerViolation(string Invariant, long? AccountId, string? Currency, string Detail);
