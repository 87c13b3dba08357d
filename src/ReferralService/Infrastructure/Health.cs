using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReferralService.Data;

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

internal static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).WithTags("Health").AllowAnonymous();
        app.MapHealthChecks("/health/ready").WithTags("Health").AllowAnonymous();
    }
}
