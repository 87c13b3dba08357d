using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ReferralService.Data;
using ReferralService.Jobs;

namespace ReferralService.Infrastructure;

[Procedure("health_check", ProcedureKind.Lookup)]
internal sealed record HealthCheckCall : IProcedureCall<bool>;

/// <summary>Ready = the database answers and the procedures are deployed (health_check exists).</summary>
internal sealed class DatabaseHealthCheck(Db db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var ready = await db.QuerySingleAsync(new HealthCheckCall(), cancellationToken);
            return ready ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Database not migrated.");
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Database unreachable.", ex);
        }
    }
}

/// <summary>
/// The job runner's last run of each kind on this instance: items done, lag of the oldest item still due. Degraded (still
/// 200: the instance serves requests) while a kind's last run failed; no error text, the endpoint is anonymous.
/// </summary>
internal sealed class JobsHealthCheck(JobStatus status, IOptions<JobOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["enabled"] = options.Value.Enabled };
        foreach (var run in status.Latest)
        {
            data[run.Kind] = new JobHealth(run.Done, run.LagSeconds, run.OldestDue, run.FinishedAt, run.Error is not null);
        }
        var failed = status.Latest.Where(r => r.Error is not null).Select(r => r.Kind).ToList();
        return Task.FromResult(failed.Count == 0
            ? HealthCheckResult.Healthy(options.Value.Enabled ? "Jobs run on this instance." : "Jobs are disabled on this instance.", data)
            : HealthCheckResult.Degraded($"Last run failed: {string.Join(", ", failed)}.", data: data));
    }

    private sealed record JobHealth(int Done, double? LagSeconds, DateTimeOffset? OldestDue, DateTimeOffset At, bool Failed);
}

internal static class HealthEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).WithTags("Health").AllowAnonymous();
        app.MapHealthChecks("/health/ready", new() { ResponseWriter = WriteDetailsAsync }).WithTags("Health").AllowAnonymous();
    }

    /// <summary>Status, and each check's status, description and data (the runner's counts and lag).</summary>
    private static Task WriteDetailsAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var checks = report.Entries.ToDictionary(
            e => e.Key, e => new { Status = e.Value.Status.ToString(), e.Value.Description, e.Value.Data });
        return JsonSerializer.SerializeAsync(context.Response.Body, new { Status = report.Status.ToString(), Checks = checks }, Json,
            context.RequestAborted);
    }
}
