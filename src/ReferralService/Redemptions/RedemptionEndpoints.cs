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
            .Refuses(Refusals.ValidationFailed, Refusals.CodeNotFound, Refusals.CodeInactive, Refusals.SelfReferral, Refusals.AlreadyReferred,
                Refusals.ReferrerCapReached, Refusals.IdempotencyKeyReused).WithSummary("A friend redeems a referral code: pending rewards for both sides.");
        group.MapPost("/{redemptionId:guid}/qualify", Qualify).RequireAuthorization(Policies.Merchant).AcceptsIdempotencyKey()
            .WithName(nameof(Qualify))
            .Refuses(Refusals.ValidationFailed, Refusals.NotFound, Refusals.InvalidState, Refusals.OrderBelowMinimum, Refusals.IdempotencyKeyReused).WithSummary("Report the friend's qualifying order: posts both rewards.");
        group.MapPost("/{redemptionId:guid}/reverse", ReverseRedemption).RequireAuthorization(Policies.Merchant).AcceptsIdempotencyKey()
            .WithName(nameof(ReverseRedemption))
            .Refuses(Refusals.ValidationFailed, Refusals.NotFound, Refusals.InvalidState, Refusals.IdempotencyKeyReused)
            .WithSummary("Refund or fraud: voids pending rewards or reverses posted ones; spent credit is clawed back as far as the balance allows.");
        group.MapGet("/{redemptionId:guid}", GetRedemption).RequireAuthorization(Policies.Staff)
            .WithName(nameof(GetRedemption)).Refuses(Refusals.NotFound).WithSummary("Read a redemption.");
    }

    private static async Task<Results<Created<RedemptionResponse>, ProblemHttpResult>> Redeem(
        RedeemRequest request, RedemptionStore store, HttpContext http, CancellationToken ct)
    {
        var outcome = await store.RedeemAsync(store.NewId(), request, Idempotency.For(http, nameof(Redeem), "", request), ct);
        return outcome switch
        {
            { Status: Outcomes.Ok, Row: { } row } => TypedResults.Created($"/v1/redemptions/{row.Id}", row.ToResponse()),
            { Status: var code } => Problems.Refused(code),
        };
    }

    private static async Task<Results<Ok<RedemptionResponse>, ProblemHttpResult>> Qualify(
        Guid redemptionId, QualifyRequest request, RedemptionStore store, HttpContext http, CancellationToken ct)
    {
        var idempotency = Idempotency.For(http, nameof(Qualify), redemptionId.ToString(), request);
        return ToResult(await store.QualifyAsync(redemptionId, request, idempotency, ct));
    }

    private static async Task<Results<Ok<RedemptionResponse>, ProblemHttpResult>> ReverseRedemption(
        Guid redemptionId, ReverseRedemptionRequest request, RedemptionStore store, HttpContext http, CancellationToken ct)
    {
        var idempotency = Idempotency.For(http, nameof(ReverseRedemption), redemptionId.ToString(), request);
        return ToResult(await store.ReverseAsync(redemptionId, request, idempotency, ct));
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
