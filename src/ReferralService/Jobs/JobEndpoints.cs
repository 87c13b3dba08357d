using Microsoft.AspNetCore.Http.HttpResults;
using ReferralService.Auth;
using ReferralService.Infrastructure;

namespace ReferralService.Jobs;

internal sealed record JobPassResponse(IReadOnlyList<JobKindResponse> Kinds);

/// <summary>One kind's part of a pass: items done, the oldest item still due and its lag in seconds, the error that stopped it.</summary>
internal sealed record JobKindResponse(
    string Kind, int Done, DateTimeOffset? OldestDue, double? LagSeconds, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string? Error);

internal static class JobEndpoints
{
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddOptions<JobOptions>().BindConfiguration("Jobs").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IdempotencyOptions>().BindConfiguration("Idempotency").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<JobStore>();
        services.AddSingleton<JobStatus>();
        services.AddSingleton<JobRunner>();
        services.AddHostedService(provider => provider.GetRequiredService<JobRunner>());
        return services;
    }

    public static void MapJobs(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/jobs").WithTags("Jobs").RequireAuthorization(Policies.Admin);
        group.MapPost("/run", RunJobs).WithName(nameof(RunJobs)).Refuses()
            .WithSummary("Runs one pass of every kind of due work on this instance now (held rewards, stale redemptions, " +
                "expiring lots, aged idempotency keys), whether or not Jobs:Enabled, after any pass in progress here; answers " +
                "per kind the items done, the oldest item still due and its lag, and the error that stopped a kind. For staging " +
                "and tests; safe beside other instances' runners.");
    }

    private static async Task<Ok<JobPassResponse>> RunJobs(JobRunner runner, CancellationToken ct)
    {
        var runs = await runner.RunPassAsync(ct);
        return TypedResults.Ok(new JobPassResponse(
            [.. runs.Select(r => new JobKindResponse(r.Kind, r.Done, r.OldestDue, r.LagSeconds, r.StartedAt, r.FinishedAt, r.Error))]));
    }
}
