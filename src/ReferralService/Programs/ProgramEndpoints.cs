using Microsoft.AspNetCore.Http.HttpResults;
using ReferralService.Auth;
using ReferralService.Data;
using ReferralService.Infrastructure;

namespace ReferralService.Programs;

internal static class ProgramEndpoints
{
    public static IServiceCollection AddPrograms(this IServiceCollection services)
    {
        services.AddSingleton<ProgramStore>();
        return services;
    }

    public static void MapPrograms(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/programs").WithTags("Programs");

        group.MapPost("/", CreateProgram).RequireAuthorization(Policies.Admin).AcceptsIdempotencyKey()
            .WithName(nameof(CreateProgram)).Refuses(Refusals.ValidationFailed, Refusals.IdempotencyKeyReused).WithSummary("Create a program: referral (give X, get Y), promo (an offer for whoever uses a code) or partner (an offer, and a commission for the code's owner).")
            .WithDescription(ProgramRules);
        group.MapGet("/{programId:guid}", GetProgram).RequireAuthorization(Policies.Staff)
            .WithName(nameof(GetProgram)).Refuses(Refusals.NotFound).WithSummary("Read a program.");
        group.MapPatch("/{programId:guid}", UpdateProgram).RequireAuthorization(Policies.Admin)
            .WithName(nameof(UpdateProgram))
            .Refuses(Refusals.ValidationFailed, Refusals.NotFound, Refusals.InvalidState, Refusals.WrongProgramKind, Refusals.ProgramHasRedemptions,
                Refusals.BudgetBelowCommitted)
            .WithSummary("Change a program's status (active, paused, ended; ended is final), name, rules, offer, commission, link settings, time settings or budget; its kind is fixed.")
            .WithDescription("Absent fields stay as they are. `links` is merged field by field: a field left out stays, null clears it, a value sets it. `offer` and `commission` are replaced whole; the offer only while the program has no redemptions (409 program_has_redemptions), the commission applies to redemptions from then on. Rules that do not fit the program's kind answer 422 wrong_program_kind. Setting maxRedemptionsPerCode where there was none counts each code's earlier uses. "
                + "holdDays, qualifyWithinDays and creditExpiryDays apply from then on (to qualifications, new redemptions and newly posted credit). "
                + "A budget can be set or changed but not removed (null reads as absent): setting it recounts committed from the program's live "
                + "redemptions, and a budget below that answers 409 budget_below_committed.");
    }

    private const string ProgramRules =
        "Amounts are integer minor units. `kind` is referral (default), promo or partner.\n\n" +
        "- referral: `referrerReward` and either `refereeReward` (credit) or `refereeOffer` (a first-order discount).\n" +
        "- promo: `offer` for whoever redeems; no owner on its codes.\n" +
        "- partner: `offer` for the shopper and `commission` for the code's owner, pending at redemption and posted when the order qualifies.\n\n" +
        "An offer is `{\"type\":\"discount\",\"percentOff\":2500,\"maxDiscount\":500}` (basis points), `{\"type\":\"discount\",\"amountOff\":1000}` " +
        "or `{\"type\":\"credit\",\"amount\":2500}`; a commission `{\"amount\":777}` or `{\"basisPoints\":1234,\"max\":5000}`. " +
        "A percentage is floor(orderAmount × basisPoints / 10000), then capped by its max, then by orderAmount: never negative, never more than the order. " +
        "Rules for promo and partner programs: minimumOrderAmount, startsAt/endsAt, maxRedemptionsPerCode, maxRedemptionsPerCustomer, newCustomersOnly.\n\n" +
        "Optional `links` (any kind): `landingUrl` and `iosAppStoreUrl` (absolute https; http only for localhost), `androidPackage` " +
        "(the app's Java package name, for its Play Store page), `deepLinkTemplate` (the app's link for a code, e.g. myapp://invite?code={code}) " +
        "and `shareTextTemplate` (placeholders {code}, {shareUrl}, {offer}).\n\n" +
        "Optional time settings (whole days, 1-36500): `holdDays` (qualified rewards stay pending, status held, until the hold " +
        "ends; not for promo), `qualifyWithinDays` (a redemption not qualified in time expires and its pending rewards are " +
        "voided; a late qualify answers 422 qualification_window_closed; not for promo), `creditExpiryDays` (posted credit " +
        "expires that long after it posted; what is left then goes to the program's breakage). Optional `budget` (an amount): " +
        "the most the program may grant, counting each redemption's rewards, commission, credit and discount when it is made " +
        "and releasing them when it is reversed or expires; a redemption past it answers 422 budget_exhausted.";

    private static async Task<Results<Created<ProgramResponse>, ProblemHttpResult>> CreateProgram(
        CreateProgramRequest request, ProgramStore store, HttpContext http, CancellationToken ct)
    {
        var idempotency = Idempotency.For(http, nameof(CreateProgram), "", request);
        return await store.CreateAsync(store.NewId(), request, idempotency, ct) switch
        {
            { Status: Outcomes.Ok, Row: { } row } => TypedResults.Created($"/v1/programs/{row.Id}", row.ToResponse()),
            { Status: var code } => Problems.Refused(code),
        };
    }

    private static async Task<Results<Ok<ProgramResponse>, ProblemHttpResult>> GetProgram(
        Guid programId, ProgramStore store, CancellationToken ct)
    {
        return ToResult(await store.GetAsync(programId, ct));
    }

    private static async Task<Results<Ok<ProgramResponse>, ProblemHttpResult>> UpdateProgram(
        Guid programId, UpdateProgramRequest request, ProgramStore store, CancellationToken ct)
    {
        return ToResult(await store.UpdateAsync(programId, request, ct));
    }

    private static Results<Ok<ProgramResponse>, ProblemHttpResult> ToResult(Outcome<ProgramRow> outcome) =>
        outcome switch
        {
            { Status: Outcomes.Ok, Row: { } row } => TypedResults.Ok(row.ToResponse()),
            { Status: var code } => Problems.Refused(code),
        };
}
