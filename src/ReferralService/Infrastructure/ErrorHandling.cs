using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ReferralService.Data;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ReferralService.Infrastructure;

/// <summary>
/// Every error leaves as ProblemDetails with a <c>code</c>: unreadable bodies are 400 validation_failed
/// (naming the property when there is one), a database that stays unreachable after retries is 503,
/// anything else is an unexpected 500, logged once here.
/// </summary>
internal sealed partial class ErrorHandler(IProblemDetailsService problems, IDbDialect dialect, ILogger<ErrorHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException bad)
        {
            problem = bad.InnerException is JsonException json
                ? StrictJson.Unreadable(json)
                : Problems.Create(Refusals.ForStatus(bad.StatusCode), bad.Message);
        }
        else if (dialect.IsTransient(exception) || exception is TimeoutException)
        {
            LogDatabaseUnavailable(exception, http.Request.Method, http.Request.Path);
            problem = Problems.Create(Refusals.DatabaseUnavailable, "The database is unavailable; retry with the same Idempotency-Key.");
            http.Response.Headers.RetryAfter = "1";
        }
        else
        {
            LogUnhandled(exception, http.Request.Method, http.Request.Path);
            problem = Problems.Create(Refusals.InternalError);
        }
        http.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable for {Method} {Path}")]
    private partial void LogDatabaseUnavailable(Exception exception, string method, PathString path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error for {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, PathString path);
}

/// <summary>
/// The one writer of errors: <c>application/problem+json</c> whatever the client accepts. The framework's writer
/// stays silent unless Accept names JSON, and its callers then fall back to plain text, an empty body or their own
/// JSON without a <c>code</c>. Fills in what a bare status leaves out (code, title, type) and writes field names in
/// errors as the client wrote them.
/// </summary>
internal sealed class ProblemWriter(IOptions<JsonOptions> json) : IProblemDetailsService
{
    private const string ValidationTitle = "One or more validation errors occurred.";

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        var status = problem.Status ??= http.Response.StatusCode;
        if (!problem.Extensions.TryGetValue("code", out var given) || given is not string code)
        {
            // From the framework (status code pages, the validation filter): a code, and field names as the client writes them.
            code = Refusals.ForStatus(status).Code;
            problem.Extensions["code"] = code;
            if (problem is HttpValidationProblemDetails validation)
            {
                CamelCaseFieldNames(validation.Errors);
            }
        }
        problem.Title = problem.Title is null or ValidationTitle ? Problems.TitleFor(code) : problem.Title;
        problem.Type ??= Problems.TypeFor(code);
        problem.Extensions.Remove("exception");
        // A replayed refusal must be byte-for-byte the first answer; a trace id only helps with 5xx.
        if (status >= 500)
        {
            problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? http.TraceIdentifier);
        }
        await http.Response.WriteAsJsonAsync(problem, problem.GetType(), json.Value.SerializerOptions, "application/problem+json", http.RequestAborted);
    }

    /// <summary>Field names in errors as the client wrote them: "referrerReward", not "ReferrerReward".</summary>
    private static void CamelCaseFieldNames(IDictionary<string, string[]> errors)
    {
        foreach (var key in errors.Keys.ToList())
        {
            var camel = string.Join('.', key.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
            if (camel != key)
            {
                errors[camel] = errors[key];
                errors.Remove(key);
            }
        }
    }
}

internal static class ProblemDetailsSetup
{
    public static IServiceCollection AddReferralProblemDetails(this IServiceCollection services)
    {
        // Not AddProblemDetails(): its service asks each writer whether the client accepts JSON.
        services.AddSingleton<IProblemDetailsService, ProblemWriter>();
        services.AddExceptionHandler<ErrorHandler>();
        // Malformed bodies throw, so the handler above can answer with a ProblemDetails.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }
}
