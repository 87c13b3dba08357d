using System.Net.Http.Json;

namespace ReferralService.Tests.Support;

/// <summary>What every feature client shares: one caller's HttpClient, JSON bodies, escaped path segments, answers read whole.</summary>
internal abstract class FeatureClient(HttpClient http)
{
    protected Task<Response<T>> GetAsync<T>(string path) => SendAsync<T>(HttpMethod.Get, path, content: null, idempotencyKey: null);

    protected Task<Response<T>> PutAsync<T>(string path) => SendAsync<T>(HttpMethod.Put, path, content: null, idempotencyKey: null);

    protected Task<Response<T>> PostAsync<T>(string path, object body, string? idempotencyKey = null) =>
        SendAsync<T>(HttpMethod.Post, path, JsonContent.Create(body, body.GetType(), options: Json.Options), idempotencyKey);

    protected Task<Response<T>> PatchAsync<T>(string path, object body) =>
        SendAsync<T>(HttpMethod.Patch, path, JsonContent.Create(body, body.GetType(), options: Json.Options), idempotencyKey: null);

    protected async Task<Response<T>> SendAsync<T>(HttpMethod method, string path, HttpContent? content, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Response<T>(response.StatusCode, response.Headers, response.Content.Headers.ContentType?.MediaType, text);
    }

    /// <summary>Sends a request and answers as soon as the headers arrive, for a body read as a stream (CSV exports).</summary>
    protected Task<HttpResponseMessage> SendStreamingAsync(HttpRequestMessage request) =>
        http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

    /// <summary>A path segment as sent: escaped, so ids with odd characters reach the service as written.</summary>
    protected static string Escaped(string value) => Uri.EscapeDataString(value);

    /// <summary>The path with the query arguments that have a value, escaped.</summary>
    protected static string WithQuery(string path, params (string Name, string? Value)[] arguments)
    {
        var query = string.Join('&', arguments.Select(a => a.Value is null ? null : $"{a.Name}={Escaped(a.Value)}").OfType<string>());
        return query.Length == 0 ? path : $"{path}?{query}";
    }
}
