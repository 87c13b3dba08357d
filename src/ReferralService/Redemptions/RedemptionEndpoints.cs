using Microsoft.AspNetCore.Http.HttpResults;
using ReferralService.Auth;
using ReferralService.Data;
using ReferralService.Infrastructure;

namespace ReferralService.Redemptions;

internal static class RedemptionEndpoints
{
    public static IServiceCollection AddRedemptions(this IServiceCollection services)
    {
        services.AddSingleton<RedemptionStore>();
        return services;
    }

    public static void MapRedemptions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/redemptions").WithTags("Redemptions");

        group.MapPost("/", Redeem).RequireAuthorization(Policies.Merchant).AcceptsIdempotencyKey()
            .LimitFailedCodeLookups()
            .WithName(nameof(Redeem))
            .Refuses(Refusals.ValidationFailed, Refusals.CodeNotFound, Refusals.CodeDisabled, Refusals.CodeExpired, Refusals.CodeInactive,
                Refusals.ProgramEnded, Refusals.ProgramNotStarted, Refusals.CurrencyMismatch, Refusals.OrderRequired,
                Refusals.OrderBelowMinimum, Refusals.SelfReferral, Refusals.NotNewCustomer, Refusals.ClickNotFound,
                Refusals.CustomerLimitReached, Refusals.CodeExhausted, Refusals.ReferrerCapReached, Refusals.BudgetExhausted,
                Refusals.AlreadyRedeemed, Refusals.AlreadyReferred, Refusals.IdempotencyKeyReused)
            .WithSummary("Redeem a code of any kind. Referral: pending rewards for the referrer and, unless the friend gets a "
                + "first-order discount, the friend. Promo: the offer at once (a discount, or credit posted to the customer). "
                + "Partner: the offer, and a pending commission for the code's owner. A percentage discount or commission is "
                + "floor(orderAmount x basisPoints / 10000), capped by its maximum, then by orderAmount; a fixed discount is "
                + "min(amountOff, orderAmount); a fixed commission is paid as set.")
            .WithDescription("Where the program has qualifyWithinDays, a pending redemption answers qualifyBy (created + that many "
                + "days); not qualified by then it expires. Where the program has a budget, the redemption commits everything it "
                + "gives (referrer reward or commission, the friend's credit, the discount) against it, and is refused with "
                + "budget_exhausted when that would take the program past its budget; a reversal or expiry releases it.");
        group.MapPost("/{redemptionId:guid}/qualify", Qualify).RequireAuthorization(Policies.Merchant).AcceptsIdempotencyKey()
            .WithName(nameof(Qualify))
            .Refuses(Refusals.ValidationFailed, Refusals.NotFound, Refusals.InvalidState, Refusals.QualificationWindowClosed,
                Refusals.OrderBelowMinimum, Refusals.IdempotencyKeyReused)
            .WithSummary("Report the qualifying order: posts the pending rewards, commission and credit. A promo redemption is complete when made (invalid_state).")
            .WithDescription("Where the program has holdDays, the redemption is held instead: its rewards stay pending (the balance "
                + "shows them with availableAt) until availableAt, qualified + holdDays, when the job runner posts them. Where it has "
                + "qualifyWithinDays, an order at or after qualifyBy is refused with qualification_window_closed, whether or not the "
                + "redemption has expired yet. Where it has creditExpiryDays, each posted reward is a credit lot that expires that "
                + "many days after it posts. The same order again answers the redemption as it stands.");
        group.MapPost("/{redemptionId:guid}/reverse", ReverseRedemption).RequireAuthorization(Policies.Merchant).AcceptsIdempotencyKey()
            .WithName(nameof(ReverseRedemption))
            .Refuses(Refusals.ValidationFailed, Refusals.NotFound, Refusals.InvalidState, Refusals.IdempotencyKeyReused)
            .WithSummary("Order cancelled, refund or fraud: gives the code's use back, voids pending rewards or reverses posted ones; spent credit is clawed back as far as the balance allows.")
            .WithDescription("Held rewards (during a hold) are voided, as pending ones are. A posted reward is taken back from its "
                + "own credit lot first, then from the customer's other credit; credit that has expired is not available for it. "
                + "What the redemption committed of the program's budget is released. An expired redemption has nothing left to "
                + "reverse (invalid_state).");
        group.MapGet("/{redemptionId:guid}", GetRedemption).RequireAuthorization(Policies.Staff)
            .WithName(nameof(GetRedemption)).Refuses(Refusals.NotFound).WithSummary("Read a redemption.");
    }

    private static async Task<Results<Created<RedemptionResponse>, ProblemHttpResult>> Redeem(
        RedeemRequest request, RedemptionStore store, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var outcome = await store.RedeemAsync(
            store.NewId(), request, time.GetUtcNow(), Idempotency.For(http, nameof(Redeem), "", request), ct);
        return outcome switch
        {
            { Status: Outcomes.Ok, Row: { } row } => TypedResults.Created($"/v1/redemptions/{row.Id}", row.ToResponse()),
            { Status: var code } => Problems.Refused(code),
        };
    }

    private static async Task<Results<Ok<RedemptionResponse>, ProblemHttpResult>> Qualify(
        Guid redemptionId, QualifyRequest request, RedemptionStore store, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var idempotency = Idempotency.For(http, nameof(Qualify), redemptionId.ToString(), request);
        return ToResult(await store.QualifyAsync(redemptionId, request, time.GetUtcNow(), idempotency, ct));
    }

    private static async Task<Results<Ok<RedemptionResponse>, ProblemHttpResult>> ReverseRedemption(
        Guid redemptionId, ReverseRedemptionRequest request, RedemptionStore store, TimeProvider time, HttpContext http,
        CancellationToken ct)
    {
        var idempotency = Idempotency.For(http, nameof(ReverseRedemption), redemptionId.ToString(), request);
        return ToResult(await store.ReverseAsync(redemptionId, request, time.GetUtcNow(), idempotency, ct));
    }

    private static async Task<Results<Ok<RedemptionResponse>, ProblemHttpResult>> GetRedemption(
        Guid redemptionId, RedemptionStore store, CancellationToken ct)
    {
        return ToResult(await store.GetAsync(redemptionId, ct));
    }

    private static Results<Ok<RedemptionResponse>, ProblemHttpResult> ToResult(Outcome<RedemptionRow> outcome) =>
        outcome switch
        {
            { Status: Outcomes.Ok, Row: { } row } => TypedResults.Ok(row.ToResponse()),
            { Status: var code } => Problems.Refused(code),
        };
}
