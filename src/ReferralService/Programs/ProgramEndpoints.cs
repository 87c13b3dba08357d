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
            .WithName(nameof(CreateProgram)).Refuses(Refusals.ValidationFailed, Refusals.IdempotencyKeyReused).WithSummary("Create a referral program (give X, get Y).");
        group.MapGet("/{programId:guid}", GetProgram).RequireAuthorization(Policies.Staff)
            .WithName(nameof(GetProgram)).Refuses(Refusals.NotFound).WithSummary("Read a program.");
        group.MapPatch("/{programId:guid}", UpdateProgram).RequireAuthorization(Policies.Admin)
            .WithName(nameof(UpdateProgram)).Refuses(Refusals.ValidationFailed, Refusals.NotFound, Refusals.InvalidState).WithSummary("Change a program's status (active, paused, ended; ended is final) or limits.");
    }

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
