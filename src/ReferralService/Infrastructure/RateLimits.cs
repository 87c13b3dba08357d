using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ReferralService.Infrastructure;

internal sealed class RateLimitOptions
{
    /// <summary>Code validations per caller (token subject, else IP address) per minute.</summary>
    [Range(1, 10_000_000)]
    public int CodeValidationsPerMinute { get; set; } = 600;
}

/// <summary>Code validation is rate-limited per caller so that guessing codes is useless.</summary>
internal static class RateLimits
{
    public const string CodeValidation = nameof(CodeValidation);

    public static IServiceCollection AddReferralRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration("RateLimits").ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) => new ValueTask(Refusal(context.HttpContext, context.Lease).ExecuteAsync(context.HttpContext));
            options.AddPolicy(CodeValidation, http =>
            {
                var limit = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.CodeValidationsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(CallerOf(http), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
        });
        return services;
    }

    /// <summary>Whom a limit counts: the token's subject, else the IP address.</summary>
    private static string CallerOf(HttpContext http) =>
        http.User.FindFirst("sub")?.Value ?? http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>429 rate_limited, with Retry-After when the limiter knows when a permit comes back.</summary>
    private static ProblemHttpResult Refusal(HttpContext http, RateLimitLease lease)
    {
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        return TypedResults.Problem(Problems.Create(StatusCodes.Status429TooManyRequests, "rate_limited"));
    }
}
