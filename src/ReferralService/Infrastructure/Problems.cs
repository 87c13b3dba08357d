using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ReferralService.Infrastructure;

/// <summary>ProblemDetails with the stable machine <c>code</c> every error carries.</summary>
internal static class Problems
{
    private static readonly Dictionary<string, string> Titles = new()
    {
        ["not_found"] = "The resource does not exist.",
        ["code_not_found"] = "No such code.",
        ["code_inactive"] = "The code's program is not active.",
        ["self_referral"] = "A customer cannot redeem their own code.",
        ["already_referred"] = "This customer has already been referred in this program.",
        ["referrer_cap_reached"] = "The referrer has reached the program's reward limit.",
        ["invalid_state"] = "The resource is not in a state that allows this.",
        ["order_below_minimum"] = "The order is below the program's minimum order amount.",
        ["insufficient_credit"] = "The customer's available credit is too low.",
        ["currency_mismatch"] = "The customer holds no credit in this currency.",
        ["idempotency_key_reused"] = "This Idempotency-Key was used with a different request.",
        ["duplicate_order"] = "This order already has a different spend.",
        ["validation_failed"] = "The request is not valid.",
        ["unauthorized"] = "A valid bearer token is required.",
        ["forbidden"] = "The token's role may not do this.",
        ["method_not_allowed"] = "The resource does not allow this method.",
        ["not_acceptable"] = "The resource cannot answer in an accepted media type.",
        ["conflict"] = "The request conflicts with the resource's state.",
        ["payload_too_large"] = "The request body is too large.",
        ["unsupported_media_type"] = "The request body must be application/json.",
        ["unprocessable"] = "The request cannot be processed.",
        ["rate_limited"] = "Too many requests; retry after the time in Retry-After.",
        ["service_unavailable"] = "The service is unavailable; retry later.",
        ["database_unavailable"] = "The database is unavailable.",
        ["internal_error"] = "An unexpected error occurred.",
        ["error"] = "The request failed.",
    };

    public static string TitleFor(string code) => Titles.TryGetValue(code, out var title) ? title : code;

    public static string TypeFor(string code) => $"https://referral.example/problems/{code.Replace('_', '-')}";

    public static ProblemDetails Create(int status, string code, string? detail = null) => new()
    {
        Status = status,
        Title = TitleFor(code),
        Detail = detail,
        Type = TypeFor(code),
        Extensions = { ["code"] = code },
    };

    // ProblemHttpResult writes application/problem+json; endpoints declare these statuses with ProducesProblem.
    public static ProblemHttpResult NotFound(string code = "not_found") => TypedResults.Problem(Create(404, code));

    public static ProblemHttpResult Refused(string code) => TypedResults.Problem(Create(422, code));

    public static ProblemHttpResult Conflict(string code) => TypedResults.Problem(Create(409, code));

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] },
            title: TitleFor("validation_failed"), type: TypeFor("validation_failed"), extensions: new Dictionary<string, object?> { ["code"] = "validation_failed" });

    /// <summary>The default code for a status that has none of its own (routing 404s, 405s, auth failures).</summary>
    public static string DefaultCode(int status) => status switch
    {
        400 => "validation_failed",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        406 => "not_acceptable",
        409 => "conflict",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        422 => "unprocessable",
        429 => "rate_limited",
        503 => "service_unavailable",
        _ when status >= 500 => "internal_error",
        _ => "error",
    };
}

internal static class ProblemMetadata
{
    /// <summary>Declares the ProblemDetails statuses an endpoint answers with (401 and 403 for every secured one).</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses.Concat([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden]))
        {
            builder.ProducesProblem(status);
        }
        return builder;
    }
}
