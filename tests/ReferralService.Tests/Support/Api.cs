using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ReferralService.Tests.Support;

/// <summary>Callers of the in-process service; every call carries a real signed token.</summary>
internal static class Api
{
    public static Caller Admin() => As(Tokens.Admin);

    public static Caller Merchant() => As(Tokens.Merchant);

    public static Caller Finance() => As(Tokens.Finance);

    /// <summary>A caller holding the token, through the typed feature clients.</summary>
    public static Caller As(string token) => new(Client(token));

    /// <summary>A caller of the given instance of the service.</summary>
    public static Caller As(this WebApplicationFactory<Program> service, string token) => new(service.Client(token));

    /// <summary>A raw client, for tests whose point is the HTTP itself (headers, malformed bodies, unknown routes).</summary>
    public static HttpClient Client(string? token) => ReferralService.Tests.TestRun.Service.Client(token);

    /// <summary>A raw client of the given instance of the service, sending the token when there is one.</summary>
    public static HttpClient Client(this WebApplicationFactory<Program> service, string? token)
    {
        var client = service.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>Another instance of the service on the test database (already migrated), with one setting changed.</summary>
    public static WebApplicationFactory<Program> ServiceWith(string key, string value) =>
        new ServiceFactory(ReferralService.Tests.TestRun.Database, ReferralService.Tests.TestRun.Database.ConnectionString)
            .WithWebHostBuilder(builder => builder.UseSetting(key, value));

    /// <summary>Another instance of the service on the test database (already migrated), with settings changed.</summary>
    public static WebApplicationFactory<Program> ServiceWith(params (string Key, string Value)[] settings) =>
        new ServiceFactory(ReferralService.Tests.TestRun.Database, ReferralService.Tests.TestRun.Database.ConnectionString)
            .WithWebHostBuilder(builder =>
            {
                foreach (var (key, value) in settings)
                {
                    builder.UseSetting(key, value);
                }
            });

    /// <summary>A customer id no other test uses.</summary>
    public static string NewCustomerId(string name) => $"{name}-{Guid.NewGuid():N}"[..Math.Min(64, name.Length + 13)];

    public static async Task<HttpResponseMessage> PostAsync(this HttpClient client, string url, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await client.SendAsync(request);
    }

    /// <summary>The body of an expected status, or a failure that shows what came back instead.</summary>
    public static async Task<JsonElement> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts a ProblemDetails with the given status and machine code.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.ExpectAsync(status);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(body.GetProperty("code").GetString(), Is.EqualTo(code));
        return body;
    }

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
