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

    /// <summary>Lookups of codes that do not exist, per caller per minute, over every route that takes a code.</summary>
    [Range(1, 10_000_000)]
    public int FailedCodeLookupsPerMinute { get; set; } = 60;

    /// <summary>Share-link redirects (/r/{code}) per client IP address per minute.</summary>
    [Range(1, 10_000_000)]
    public int RedirectsPerMinute { get; set; } = 600;
}

/// <summary>
/// Each caller's budget of failed code lookups (answers 404 code_not_found), one budget for every route that
/// takes a code: a permit is consumed when a lookup fails, and once none is left those routes refuse the caller.
/// </summary>
internal sealed class FailedCodeLookups(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> budget = PartitionedRateLimiter.Create<string, string>(caller =>
        RateLimitPartition.GetFixedWindowLimiter(caller, _ => RateLimits.PerMinute(options.Value.FailedCodeLookupsPerMinute)));

    /// <summary>Acquired while the caller has failures left; not acquired (with a retry-after) once they are spent.</summary>
    public RateLimitLease Check(string caller) => budget.AttemptAcquire(caller, 0);

    public void CountFailure(string caller) => budget.AttemptAcquire(caller).Dispose();

    public void Dispose() => budget.Dispose();
}

/// <summary>
/// Codes cannot be guessed: validation is rate-limited per caller, and failed lookups on every route that takes
/// a code share one smaller budget per caller.
/// </summary>
internal static class RateLimits
{
    public const string CodeValidation = nameof(CodeValidation);

    /// <summary>Share-link redirects, per client IP address (RateLimits:RedirectsPerMinute), signed in or not.</summary>
    public const string Redirects = nameof(Redirects);

    public static IServiceCollection AddReferralRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration("RateLimits").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FailedCodeLookups>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                SetRetryAfter(context.HttpContext, context.Lease);
                return context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<HtmlRefusalPages>() is { } pages
                    ? new ValueTask(pages.WriteTooManyRequestsAsync(context.HttpContext))
                    : new ValueTask(Problems.For(Refusals.RateLimited).ExecuteAsync(context.HttpContext));
            };
            options.AddPolicy(CodeValidation, http =>
            {
                var limit = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.CodeValidationsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(CallerOf(http), _ => PerMinute(limit));
            });
            options.AddPolicy(Redirects, http =>
            {
                var limit = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.RedirectsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(ClientAddressOf(http), _ => PerMinute(limit));
            });
        });
        return services;
    }

    /// <summary>
    /// Counts the route's failed code lookups against the caller's budget and answers 429 once it is spent,
    /// whatever the code: a route that takes a code must not tell which codes exist faster than the budget allows.
    /// </summary>
    public static RouteHandlerBuilder LimitFailedCodeLookups(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var lookups = http.RequestServices.GetRequiredService<FailedCodeLookups>();
            var caller = CallerOf(http);
            using (var lease = lookups.Check(caller))
            {
                if (!lease.IsAcquired)
                {
                    return Refusal(http, lease);
                }
            }
            var result = await next(context);
            if (IsCodeNotFound(result))
            {
                lookups.CountFailure(caller);
            }
            return result;
        }).WithMetadata(new RefusalMetadata([Refusals.RateLimited])).ProducesProblem(StatusCodes.Status429TooManyRequests);

    private static bool IsCodeNotFound(object? result) =>
        (result is INestedHttpResult nested ? nested.Result : result) is ProblemHttpResult problem
        && problem.ProblemDetails.Extensions.TryGetValue("code", out var code) && code is string text && text == Refusals.CodeNotFound.Code;

    /// <summary>A fixed one-minute window of <paramref name="limit"/> permits; no queue: over the limit is refused at once.</summary>
    public static FixedWindowRateLimiterOptions PerMinute(int limit) =>
        new() { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 };

    /// <summary>Whom a limit counts: the token's subject, else the IP address.</summary>
    private static string CallerOf(HttpContext http) =>
        http.User.FindFirst("sub")?.Value ?? ClientAddressOf(http);

    /// <summary>The client's IP address (behind a proxy, as the forwarded-headers middleware set it; see README).</summary>
    public static string ClientAddressOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>429 rate_limited, with Retry-After when the limiter knows when a permit comes back.</summary>
    private static ProblemHttpResult Refusal(HttpContext http, RateLimitLease lease)
    {
        SetRetryAfter(http, lease);
        return Problems.For(Refusals.RateLimited);
    }

    /// <summary>Retry-After (whole seconds) on a refusal, when the limiter knows when a permit comes back.</summary>
    public static void SetRetryAfter(HttpContext http, RateLimitLease lease)
    {
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
    }
}

/// <summary>An endpoint whose refusals are human pages (the share-link redirect): the rate limiter writes its 429 with this.</summary>
internal sealed record HtmlRefusalPages(Func<HttpContext, Task> WriteTooManyRequestsAsync);
