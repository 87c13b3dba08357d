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
        services.AddOptions<ShareLinkOptions>().BindConfiguration("Links").ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    public static void MapCodes(this IEndpointRouteBuilder app)
    {
        app.MapPut("/v1/programs/{programId:guid}/customers/{customerId}/referral-code", GetOrCreateReferralCode)
            .WithTags("Codes").RequireAuthorization(Policies.CustomerCode).ActsForCustomer()
            .WithName(nameof(GetOrCreateReferralCode)).Refuses(Refusals.ValidationFailed, Refusals.NotFound, Refusals.CodeInactive, Refusals.WrongProgramKind)
            .WithSummary("Get or create a customer's personal referral code: 201 the first time, 200 after, always the same code.");

        app.MapGet("/v1/codes/{code}", ValidateCode)
            .WithTags("Codes").RequireAuthorization(Policies.Merchant).RequireRateLimiting(RateLimits.CodeValidation)
            .LimitFailedCodeLookups()
            .WithName(nameof(ValidateCode)).Refuses(Refusals.ValidationFailed, Refusals.CodeNotFound, Refusals.RateLimited)
            .WithSummary("Would this code work for this customer? valid=false comes with the reason it would be refused.");
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

    private static async Task<Results<Ok<CodeCheckResponse>, ValidationProblem, ProblemHttpResult>> ValidateCode(
        string code, string? customerId, CodeStore store, CancellationToken ct)
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
        return await store.CheckAsync(Inputs.NormalizeCode(code), customerId, ct) switch
        {
            { Status: Outcomes.Ok, Row: { } check } =>
                TypedResults.Ok(new CodeCheckResponse(check.Code, check.ProgramId, check.OwnerId, check.Reason is null, check.Reason)),
            { Status: var status } => Problems.Refused(status),
        };
    }
}
