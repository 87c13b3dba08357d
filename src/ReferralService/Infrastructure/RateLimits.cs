using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
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
            options.AddPolicy(CodeValidation, http =>
            {
                var limit = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.CodeValidationsPerMinute;
                var caller = http.User.FindFirst("sub")?.Value ?? http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter(caller, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
        });
        return services;
    }
}
