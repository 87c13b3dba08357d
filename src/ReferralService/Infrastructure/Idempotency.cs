using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ReferralService.Infrastructure;

/// <summary>The Idempotency-Key of a state-changing POST, the caller it belongs to and the request's hash.</summary>
internal sealed record Idempotency(string CallerId, string? Key, string? RequestHash)
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxKeyLength = 255;

    public bool HasKey => Key is not null;

    public static Idempotency For<TRequest>(HttpContext http, string operation, string resource, TRequest request)
    {
        var caller = CallerOf(http);
        var key = http.Request.Headers[HeaderName].ToString();
        if (string.IsNullOrEmpty(key))
        {
            return new Idempotency(caller, null, null);
        }
        // Same key + same operation, target and body => same hash; the body is hashed as parsed, so
        // whitespace and property order do not matter.
        var canonical = $"{operation}\n{resource}\n{JsonSerializer.Serialize(request)}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        return new Idempotency(caller, key, hash);
    }

    /// <summary>
    /// Keys are scoped to the token's subject. A subject that is long or not printable ASCII (a NUL, a lone
    /// surrogate: text the database may refuse) is stored as its hash, which scopes keys just as well.
    /// </summary>
    private static string CallerOf(HttpContext http)
    {
        var subject = http.User.FindFirst("sub")?.Value ?? "";
        return subject.Length <= 200 && subject.All(c => c is >= ' ' and <= '~')
            ? subject
            : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subject)));
    }

    public static bool IsValidKey(HttpContext http) =>
        http.Request.Headers[HeaderName].ToString() is var key && key.Length <= MaxKeyLength;
}
