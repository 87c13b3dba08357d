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
            json.Converters.Add(new InstantConverter());
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
            InstantFormatException instant => instant.Message,
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

/// <summary>
/// Instants (startsAt, endsAt, expiresAt) are ISO 8601 with an explicit offset (<c>Z</c> or <c>+02:00</c>): without
/// one, a time would be read in the server's own time zone, and the same request would mean different instants on
/// differently configured hosts.
/// </summary>
internal sealed class InstantConverter : JsonConverter<DateTimeOffset>
{
    public const string Rule = "An ISO 8601 instant with an offset, e.g. 2026-03-01T08:00:00Z or 2026-03-01T10:00:00+02:00.";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value) || !HasOffset(reader.GetString()!))
        {
            throw new JsonException(null, new InstantFormatException());
        }
        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
}

internal sealed class InstantFormatException() : FormatException(InstantConverter.Rule);
