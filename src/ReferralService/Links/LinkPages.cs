using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ReferralService.Links;

/// <summary>The share domain's small human pages: a person followed a link, so they get a page rather than JSON.</summary>
internal static class LinkPages
{
    public const string ContentType = "text/html; charset=utf-8";

    /// <summary>
    /// Every answer of the redirect: never cached (each visit is a new click, and a disabled code must stop redirecting),
    /// and no Referer to the target, which gets the code and click in its query instead of the share URL.
    /// </summary>
    public static void NoStore(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
    }

    public static ContentHttpResult NotFound() => Page(StatusCodes.Status404NotFound, "Link not found",
        "This invite link does not exist or is no longer active. Ask the person who shared it for a new one.");

    public static ContentHttpResult TooManyRequests() => Page(StatusCodes.Status429TooManyRequests, "Too many requests",
        "Too many links were opened from your network in a short time. Please wait a minute and try again.");

    /// <summary>The 429 page written straight to a response (from the rate limiter's rejection, which sets Retry-After).</summary>
    public static async Task WriteTooManyRequestsAsync(HttpContext http)
    {
        NoStore(http);
        await TooManyRequests().ExecuteAsync(http).ConfigureAwait(false);
    }

    private static ContentHttpResult Page(int status, string title, string text) =>
        TypedResults.Content(
            $"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>{title}</title></head>
            <body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem;">
            <h1>{title}</h1>
            <p>{text}</p>
            </body>
            </html>
            """, ContentType, Encoding.UTF8, status);
}
