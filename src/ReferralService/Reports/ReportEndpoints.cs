using Microsoft.AspNetCore.Http.HttpResults;
using ReferralService.Auth;
using ReferralService.Infrastructure;

namespace ReferralService.Reports;

internal static class ReportEndpoints
{
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddSingleton<ReportStore>();
        return services;
    }

    public static void MapReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/reports").WithTags("Reports").RequireAuthorization(Policies.Finance);
        group.MapGet("/trial-balance", GetTrialBalance).WithName(nameof(GetTrialBalance)).Refuses()
            .WithSummary("Per currency: posted and pending debits and credits; balanced when debits equal credits everywhere.");
        group.MapGet("/ledger-check", GetLedgerCheck).WithName(nameof(GetLedgerCheck)).Refuses()
            .WithSummary("Reconciliation over the whole ledger: every violation of the ledger invariants (none when ok).");
    }

    private static async Task<Ok<TrialBalanceResponse>> GetTrialBalance(ReportStore store, CancellationToken ct)
    {
        var currencies = (await store.TrialBalanceAsync(ct))
            .Select(r => new CurrencyTrialBalance(r.Currency.Trim(), r.PostedDebits, r.PostedCredits, r.PendingDebits, r.PendingCredits,
                r.PostedDebits == r.PostedCredits && r.PendingDebits == r.PendingCredits))
            .ToList();
        return TypedResults.Ok(new TrialBalanceResponse(currencies.TrueForAll(c => c.Balanced), currencies));
    }

    private static async Task<Ok<LedgerCheckResponse>> GetLedgerCheck(ReportStore store, CancellationToken ct)
    {
        var violations = (await store.LedgerCheckAsync(ct))
            .Select(v => new LedgerViolation(v.Invariant, v.AccountId, v.Currency?.Trim(), v.Detail))
            .ToList();
        return TypedResults.Ok(new LedgerCheckResponse(violations.Count == 0, violations));
    }
}
