using System.ComponentModel.DataAnnotations;
using ReferralService.Infrastructure;

namespace ReferralService.Credits;

internal sealed record BalanceResponse(string CustomerId, IReadOnlyList<CurrencyBalance> Balances);

/// <summary>
/// Available credit can be spent; pending is not yet posted (held rewards included), and availableAt is when the
/// earliest held credit posts; expiring is the credit that expires next, at expiresAt (null: none expires); owed is
/// what a reversal took back after the credit was spent, paid first from any credit that arrives later.
/// </summary>
internal sealed record CurrencyBalance(
    string Currency, long Available, long Pending, DateTime? AvailableAt, long? Expiring, DateTime? ExpiresAt, long Owed);

/// <summary>One ledger entry on a customer's statement. Amount is signed from the customer's side.</summary>
internal sealed record TransactionResponse(
    string Id, string Kind, string Phase, long Amount, string Currency, Guid? RedemptionId, Guid? SpendId, DateTime CreatedAt);

internal sealed record TransactionPage(IReadOnlyList<TransactionResponse> Data, bool HasMore, string? NextStartingAfter);

public sealed record SpendRequest(
    [property: Amount] long Amount,
    [property: Required, RegularExpression(Inputs.CurrencyPattern, ErrorMessage = Inputs.CurrencyRule)] string Currency,
    [property: Required, OrderId] string OrderId);

internal sealed record SpendResponse(
    Guid Id, string CustomerId, string OrderId, long Amount, string Currency, string Status, long BalanceAfter,
    DateTime CreatedAt, DateTime? ReversedAt);

internal sealed record BalanceRow(string Currency, long Available, long Pending, long Owed, DateTime? AvailableAt, long? Expiring, DateTime? ExpiresAt)
{
    public CurrencyBalance ToResponse() =>
        new(Currency.Trim(), Available, Pending, AvailableAt?.AsUtc(), Expiring, ExpiresAt?.AsUtc(), Owed);
}

internal sealed record TransactionRow(long Id, string Kind, string Phase, long Amount, string Currency, Guid? RedemptionId, Guid? SpendId, DateTime CreatedAt);

/// <summary>A spend as the spend procedures answer (spend_row after its status column).</summary>
internal sealed record SpendRow(
    Guid Id, string CustomerId, string OrderId, long Amount, string Currency, string SpendStatus,
    long BalanceAfter, DateTime CreatedAt, DateTime? ReversedAt)
{
    public SpendResponse ToResponse() => new(Id, CustomerId, OrderId, Amount, Currency.Trim(), SpendStatus,
        BalanceAfter, CreatedAt.AsUtc(), ReversedAt?.AsUtc());
}
