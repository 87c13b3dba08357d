using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ReferralService.Auth;
using ReferralService.Customers;
using ReferralService.Data;
using ReferralService.Infrastructure;

namespace ReferralService.Credits;

internal static class CreditEndpoints
{
    public static IServiceCollection AddCredits(this IServiceCollection services)
    {
        services.AddSingleton<CreditStore>();
        return services;
    }

    public static void MapCredits(this IEndpointRouteBuilder app)
    {
        var customers = app.MapCustomerRoutes().WithTags("Credits");
        customers.MapGet("/balance", GetBalance).RequireAuthorization(Policies.CustomerData)
            .WithName(nameof(GetBalance)).Refuses(Refusals.ValidationFailed, Refusals.NotFound).WithSummary("A customer's credit per currency: available (spendable now), pending (held rewards included) with availableAt (when the earliest held credit posts), the next credit to expire (expiring, at expiresAt), and owed (a reversal's shortfall, paid first from credit that arrives later).");
        customers.MapGet("/transactions", ListTransactions).RequireAuthorization(Policies.CustomerData)
            .WithName(nameof(ListTransactions)).Refuses(Refusals.ValidationFailed, Refusals.NotFound)
            .WithSummary("A customer's statement, newest first; pass the last id as startingAfter for the next page.");
        customers.MapPost("/spends", SpendCredit).RequireAuthorization(Policies.Merchant).AcceptsIdempotencyKey()
            .WithName(nameof(SpendCredit))
            .Refuses(Refusals.ValidationFailed, Refusals.DuplicateOrder, Refusals.InsufficientCredit, Refusals.CurrencyMismatch, Refusals.IdempotencyKeyReused)
            .WithSummary("Spend available credit at checkout; never overdraws, never spends expired credit, and takes the credit that expires soonest first. One spend per order: a repeat of the same spend answers 200 with it.");
        customers.MapGet("/spends/{spendId:guid}", GetSpend).RequireAuthorization(Policies.CustomerData)
            .WithName(nameof(GetSpend)).Refuses(Refusals.ValidationFailed, Refusals.NotFound).WithSummary("Read one of the customer's spends.");

        app.MapPost("/v1/spends/{spendId:guid}/reverse", ReverseSpend).WithTags("Credits")
            .RequireAuthorization(Policies.Merchant).AcceptsIdempotencyKey()
            .WithName(nameof(ReverseSpend))
            .Refuses(Refusals.ValidationFailed, Refusals.NotFound, Refusals.InvalidState, Refusals.IdempotencyKeyReused).WithSummary("Give spent credit back (order cancelled), to the credit it came from with its own expiry (credit that expired meanwhile goes to breakage).");
    }

    private static async Task<Ok<BalanceResponse>> GetBalance(string customerId, CreditStore store, CancellationToken ct)
    {
        var rows = await store.GetBalancesAsync(customerId, ct);
        return TypedResults.Ok(new BalanceResponse(customerId, [.. rows.Select(r => r.ToResponse())]));
    }

    private static async Task<Results<Ok<TransactionPage>, ValidationProblem>> ListTransactions(
        string customerId, int? limit, string? startingAfter, CreditStore store, CancellationToken ct)
    {
        if (limit is < 1 or > 100)
        {
            return Problems.Invalid(nameof(limit), "Between 1 and 100.");
        }
        long? after = null;
        if (startingAfter is not null)
        {
            if (!long.TryParse(startingAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var cursor))
            {
                return Problems.Invalid(nameof(startingAfter), "The id of a transaction from a previous page.");
            }
            after = cursor;
        }
        var pageSize = limit ?? 20;
        // One row more than the page tells whether there is another page.
        var rows = await store.ListTransactionsAsync(customerId, after, pageSize + 1, ct);
        var page = rows.Take(pageSize)
            .Select(r => new TransactionResponse(r.Id.ToString(CultureInfo.InvariantCulture), r.Kind, r.Phase, r.Amount,
                r.Currency.Trim(), r.RedemptionId, r.SpendId, r.CreatedAt.AsUtc()))
            .ToList();
        var hasMore = rows.Count > pageSize;
        return TypedResults.Ok(new TransactionPage(page, hasMore, hasMore ? page[^1].Id : null));
    }

    private static async Task<Results<Created<SpendResponse>, Ok<SpendResponse>, ProblemHttpResult>> SpendCredit(
        string customerId, SpendRequest request, CreditStore store, HttpContext http, CancellationToken ct)
    {
        var idempotency = Idempotency.For(http, nameof(SpendCredit), customerId, request);
        return await store.SpendAsync(store.NewId(), customerId, request, idempotency, ct) switch
        {
            { Status: Outcomes.Ok, Row: { } spend } => TypedResults.Created($"/v1/customers/{customerId}/spends/{spend.Id}", spend.ToResponse()),
            { Status: Outcomes.Existing, Row: { } spend } => TypedResults.Ok(spend.ToResponse()),
            { Status: var code } => Problems.Refused(code),
        };
    }

    private static async Task<Results<Ok<SpendResponse>, ProblemHttpResult>> GetSpend(
        string customerId, Guid spendId, CreditStore store, CancellationToken ct)
    {
        return ToResult(await store.GetSpendAsync(spendId, customerId, ct));
    }

    private static async Task<Results<Ok<SpendResponse>, ProblemHttpResult>> ReverseSpend(
        Guid spendId, CreditStore store, HttpContext http, CancellationToken ct)
    {
        return ToResult(await store.ReverseSpendAsync(spendId, Idempotency.For(http, nameof(ReverseSpend), spendId.ToString(), ""), ct));
    }

    private static Results<Ok<SpendResponse>, ProblemHttpResult> ToResult(Outcome<SpendRow> outcome) =>
        outcome switch
        {
            { Status: Outcomes.Ok, Row: { } spend } => TypedResults.Ok(spend.ToResponse()),
            { Status: var code } => Problems.Refused(code),
        };
}
