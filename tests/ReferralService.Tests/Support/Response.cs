using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReferralService.Tests.Support;

/// <summary>
/// One answer of the service, read whole: <see cref="Ok"/> and <see cref="Created"/> assert the status and return the body
/// as a record; <see cref="Refused(HttpStatusCode, string)"/> asserts a problem with its status and code.
/// </summary>
internal sealed class Response<T>(HttpStatusCode status, HttpResponseHeaders headers, string? mediaType, string text)
{
    public HttpStatusCode Status => status;

    public HttpResponseHeaders Headers => headers;

    /// <summary>The body as the service wrote it, to compare replays byte for byte.</summary>
    public string Text => text;

    public Uri Location
    {
        get
        {
            Assert.That(headers.Location, Is.Not.Null, "no Location header");
            return headers.Location!;
        }
    }

    public T Ok() => Body(HttpStatusCode.OK);

    public T Created() => Body(HttpStatusCode.Created);

    /// <summary>Asserts an application/problem+json answer with the status; its code is for the caller to check.</summary>
    public Problem Refused(HttpStatusCode expected)
    {
        Assert.That(status, Is.EqualTo(expected), text);
        Assert.That(mediaType, Is.EqualTo("application/problem+json"), text);
        return Json.Read<Problem>(text);
    }

    public Problem Refused(HttpStatusCode expected, string code)
    {
        var problem = Refused(expected);
        Assert.That(problem.Code, Is.EqualTo(code), text);
        return problem;
    }

    private T Body(HttpStatusCode expected)
    {
        Assert.That(status, Is.EqualTo(expected), text);
        return Json.Read<T>(text);
    }
}

/// <summary>The same assertions on a call not yet awaited: <c>await merchant.Redemptions.RedeemAsync(code, bob).Created()</c>.</summary>
internal static class ResponseTasks
{
    public static async Task<T> Ok<T>(this Task<Response<T>> response) => (await response).Ok();

    public static async Task<T> Created<T>(this Task<Response<T>> response) => (await response).Created();

    public static async Task<Problem> Refused<T>(this Task<Response<T>> response, HttpStatusCode status, string code) =>
        (await response).Refused(status, code);
}

/// <summary>A refusal: ProblemDetails with the machine code every error carries, and per-field messages for a validation problem.</summary>
internal sealed record Problem(string Type, string Title, int Status, string Code, string? Detail = null, IReadOnlyDictionary<string, string[]>? Errors = null);

internal static class Json
{
    /// <summary>
    /// Web defaults, read strictly: a field a record needs that is missing or null, or a number sent as a string, fails the
    /// test rather than reading as zero. Null request fields are left out, as a client omits what it does not set.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static T Read<T>(string text) => JsonSerializer.Deserialize<T>(text, Options) ?? throw new JsonException($"a null body: {text}");
}
