using System.Globalization;

namespace ReferralService.Tests.Support;

internal sealed class CreditsClient(HttpClient http) : FeatureClient(http)
{
    public Task<Response<CustomerBalance>> GetBalanceAsync(string customerId) =>
        GetAsync<CustomerBalance>($"/v1/customers/{Escaped(customerId)}/balance");

    /// <summary>One page of the statement, newest first.</summary>
    public Task<Response<TransactionPage>> ListTransactionsAsync(string customerId, int? limit = null, string? startingAfter = null) =>
        GetAsync<TransactionPage>(WithQuery($"/v1/customers/{Escaped(customerId)}/transactions",
            ("limit", limit?.ToString(CultureInfo.InvariantCulture)), ("startingAfter", startingAfter)));

    /// <summary>Created; a repeat of the same order answers OK with the first spend.</summary>
    public Task<Response<Spend>> SpendAsync(string customerId, long amount, string orderId, string currency = "USD", string? idempotencyKey = null) =>
        PostAsync<Spend>($"/v1/customers/{Escaped(customerId)}/spends", new { amount, currency, orderId }, idempotencyKey);

    public Task<Response<Spend>> GetSpendAsync(string customerId, Guid spendId) =>
        GetAsync<Spend>($"/v1/customers/{Escaped(customerId)}/spends/{spendId}");

    /// <summary>The spend a Location header points at.</summary>
    public Task<Response<Spend>> GetSpendAsync(Uri location) => GetAsync<Spend>(location.OriginalString);

    public Task<Response<Spend>> ReverseSpendAsync(Guid spendId, string? idempotencyKey = null) =>
        PostAsync<Spend>($"/v1/spends/{spendId}/reverse", new { }, idempotencyKey);
}

internal sealed record CustomerBalance(string CustomerId, IReadOnlyList<Balance> Balances);

/// <summary>
/// Available can be spent; pending is not yet posted (held included), posting from availableAt; expiring is the next
/// credit to expire, at expiresAt; owed is a reversal's shortfall, paid first from later credit.
/// </summary>
internal sealed record Balance(
    string Currency, long Available, long Pending, DateTimeOffset? AvailableAt, long? Expiring, DateTimeOffset? ExpiresAt, long Owed);

internal sealed record TransactionPage(IReadOnlyList<Transaction> Data, bool HasMore, string? NextStartingAfter);

/// <summary>One statement entry; the amount is signed from the customer's side.</summary>
internal sealed record Transaction(
    string Id, string Kind, string Phase, long Amount, string Currency, Guid? RedemptionId, Guid? SpendId, DateTimeOffset CreatedAt);

internal sealed record Spend(
    Guid Id, string CustomerId, string OrderId, long Amount, string Currency, string Status, long BalanceAfter,
    DateTimeOffset CreatedAt, DateTimeOffset? ReversedAt);
