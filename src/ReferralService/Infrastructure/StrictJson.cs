using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace ReferralService.Infrastructure;

/// <summary>
/// Request bodies of a money API are read strictly: numbers only as JSON numbers ("1" is not an amount),
/// property names exactly as documented (case-sensitive), unknown and repeated properties refused.
/// </summary>
internal static class StrictJson
{
    public static IServiceCollection AddStrictJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options =>
        {
            var json = options.SerializerOptions;
            json.NumberHandling = JsonNumberHandling.Strict;
            json.PropertyNameCaseInsensitive = false;
            json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            json.AllowDuplicateProperties = false;
        });

    /// <summary>
    /// A body the reader refused: 400 validation_failed, with the offending property (as the client wrote it) in
    /// <c>errors</c> when there is one. The reader's own message names internal types, so it is not passed on.
    /// </summary>
    public static ProblemDetails Unreadable(JsonException json)
    {
        const string detail = "The body is not valid JSON for this request.";
        if (json.Path is not { Length: > 2 } path || !path.StartsWith("$.", StringComparison.Ordinal))
        {
            return Problems.Create(Refusals.ValidationFailed, detail);
        }
        var message = json.InnerException switch
        {
            JsonException => "Not valid JSON.",
            null => "Not a property of this request, or given more than once (names are case-sensitive).",
            _ => "Not a value of this property's JSON type (numbers as numbers, text as strings).",
        };
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [path[2..]] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Detail = detail,
            Extensions = { ["code"] = "validation_failed" },
        };
    }
}
