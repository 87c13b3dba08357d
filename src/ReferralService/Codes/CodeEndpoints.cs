using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ReferralService.Auth;
using ReferralService.Customers;
using ReferralService.Infrastructure;

namespace ReferralService.Codes;

internal static class CodeEndpoints
{
    public static IServiceCollection AddCodes(this IServiceCollection services)
    {
        services.AddSingleton<CodeStore>();
        services.AddSingleton<DenyList>();
        services.AddOptions<CodeOptions>().BindConfiguration("Codes").ValidateDataAnnotations()
            .Validate(o => File.Exists(DenyList.PathOf(o.DenyListPath)), "Codes:DenyListPath names no file.").ValidateOnStart();
        services.AddOptions<ShareLinkOptions>().BindConfiguration("Links").ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    public static void MapCodes(this IEndpointRouteBuilder app)
    {
        app.MapPut("/v1/programs/{programId:guid}/customers/{customerId}/referral-code", GetOrCreateReferralCode)
            .WithTags("Codes").RequireAuthorization(Policies.CustomerCode).ActsForCustomer()
            .WithName(nameof(GetOrCreateReferralCode)).Refuses(Refusals.ValidationFailed, Refusals.NotFound, Refusals.CodeInactive, Refusals.WrongProgramKind)
            .WithSummary("Get or create a customer's personal referral code: 201 the first time, 200 after, always the same code.");

        app.MapPost("/v1/programs/{programId:guid}/codes", CreateCode)
            .WithTags("Codes").RequireAuthorization(Policies.Admin).AcceptsIdempotencyKey()
            .WithName(nameof(CreateCode))
            .Refuses(Refusals.ValidationFailed, Refusals.NotFound, Refusals.CodeNotAllowed, Refusals.CodeTaken, Refusals.OwnerRequired,
                Refusals.WrongProgramKind, Refusals.IdempotencyKeyReused)
            .WithSummary("Create a vanity code (EMILY10): 3-32 letters, digits or hyphens, stored upper case, unique across the service. "
                + "Partner and referral codes need ownerId, promo codes take none; words on the deny-list are refused.");

        app.MapGet("/v1/codes/{code}", ValidateCode)
            .WithTags("Codes").RequireAuthorization(Policies.Merchant).RequireRateLimiting(RateLimits.CodeValidation)
            .LimitFailedCodeLookups()
            .WithName(nameof(ValidateCode)).Refuses(Refusals.ValidationFailed, Refusals.CodeNotFound, Refusals.RateLimited)
            .WithSummary("Dry run of a redemption: would this code work for this customer and order, and what would it give? "
                + "valid=false comes with the reason redeem would refuse. Nothing is recorded. discount: a percentage offer is "
                + "floor(orderAmount x percentOff / 10000), capped by maxDiscount, then by orderAmount; a fixed one is "
                + "min(amountOff, orderAmount); null without orderAmount. credit: the redeemer's credit.");
    }

    private static async Task<Results<Created<ReferralCodeResponse>, Ok<ReferralCodeResponse>, ProblemHttpResult>>
        GetOrCreateReferralCode(Guid programId, string customerId, CodeStore store, IOptions<ShareLinkOptions> links, CancellationToken ct)
    {
        // A drawn code may already belong to someone else (about once in 10^8): draw again. Five collisions in a
        // row mean the code space is nearly full, a server problem, never a client's refusal.
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await store.GetOrCreateAsync(programId, customerId, CodeGenerator.Next(), ct);
            if (outcome.Status == Outcomes.CodeCollision)
            {
                if (attempt < 5)
                {
                    continue;
                }
                throw new InvalidOperationException($"Five drawn codes in a row were taken (program {programId}).");
            }
            if (outcome is not { Status: Outcomes.Ok, Row: { } code })
            {
                return Problems.Refused(outcome.Status);
            }
            var response = new ReferralCodeResponse(code.Code, code.ProgramId, code.OwnerId, new Uri(links.Value.ShareBaseUrl + code.Code));
            return code.Created
                ? TypedResults.Created($"/v1/programs/{programId}/customers/{customerId}/referral-code", response)
                : TypedResults.Ok(response);
        }
    }

    private static async Task<Results<Created<CodeResponse>, ProblemHttpResult>> CreateCode(
        Guid programId, CreateCodeRequest request, CodeStore store, DenyList denyList, HttpContext http, CancellationToken ct)
    {
        if (!denyList.Allows(request.Code))
        {
            return Problems.For(Refusals.CodeNotAllowed);
        }
        var idempotency = Idempotency.For(http, nameof(CreateCode), programId.ToString(), request);
        return await store.CreateAsync(programId, request, idempotency, ct) switch
        {
            // The code resource is described by GET /v1/codes/{code}.
            { Status: Outcomes.Ok, Row: { } row } => TypedResults.Created($"/v1/codes/{Uri.EscapeDataString(row.Code)}", row.ToResponse()),
            { Status: var status } => Problems.Refused(status),
        };
    }

    private static async Task<Results<Ok<CodeCheckResponse>, ValidationProblem, ProblemHttpResult>> ValidateCode(
        string code, string? customerId, long? orderAmount, string? currency, int? customerOrderCount, CodeStore store,
        CancellationToken ct)
    {
        // A code that breaks the code rule cannot exist.
        if (!Inputs.IsCode(code))
        {
            return Problems.For(Refusals.CodeNotFound);
        }
        if (customerId is not null && !Inputs.IsCustomerId(customerId))
        {
            return Problems.Invalid(nameof(customerId), Inputs.CustomerIdRule);
        }
        if (orderAmount is < 0 or > Inputs.MaxAmount)
        {
            return Problems.Invalid(nameof(orderAmount), Inputs.NonNegativeAmountRule);
        }
        if (currency is not null && !Inputs.IsCurrency(currency))
        {
            return Problems.Invalid(nameof(currency), Inputs.CurrencyRule);
        }
        if (customerOrderCount is < 0)
        {
            return Problems.Invalid(nameof(customerOrderCount), "Zero or a positive whole number.");
        }
        return await store.CheckAsync(Inputs.NormalizeCode(code), customerId, orderAmount, currency, customerOrderCount, ct) switch
        {
            { Status: Outcomes.Ok, Row: { } check } => TypedResults.Ok(check.ToResponse()),
            { Status: var status } => Problems.Refused(status),
        };
    }
}
