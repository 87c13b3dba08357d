using System.Net;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Links;

/// <summary>A click as the clicks table holds it.</summary>
internal sealed record ClickRow(
    Guid Id, string Code, Guid ProgramId, DateTime ClickedAt, byte[] IpHash, string Platform, string? OsVersion, string? Browser,
    string? RefererHost, string? UtmSource, string? UtmMedium, string? UtmCampaign, string? UtmTerm, string? UtmContent);

/// <summary>Real User-Agent strings, as the phones, browsers and link-preview fetchers send them.</summary>
internal static class Agents
{
    public const string IosSafari =
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    public const string AndroidChrome =
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36";
    public const string DesktopChrome =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    public const string DesktopFirefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0";
    public const string DesktopSafari =
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15";

    public const string Slack = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)";
    public const string WhatsApp = "WhatsApp/2.23.20.0 A";
    // iMessage's link preview sends Facebook's and Twitter's crawler names.
    public const string IMessage =
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0";
    public const string Facebook = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)";
    public const string Twitter = "Twitterbot/1.0";
    public const string Telegram = "TelegramBot (like TwitterBot)";
    public const string Discord = "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)";
    public const string LinkedIn = "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)";
}

/// <summary>
/// The service as share links' visitors reach it: a client that does not follow redirects, sending a User-Agent, and
/// a client address of the test's choosing. The in-process test server has no network peer; this instance takes the
/// peer address from the X-Test-Client-Address header (a test-only middleware, the stand-in for the TCP connection),
/// so that tests can tell visitors apart and look for their address in the database.
/// </summary>
internal static class ShareLinks
{
    public const string AddressHeader = "X-Test-Client-Address";

    private static int nextAddress;

    /// <summary>An IPv4 address no other test uses, from 198.18.0.0/15 (reserved for benchmarks: never a real visitor).</summary>
    public static IPAddress NewAddress()
    {
        var n = Interlocked.Increment(ref nextAddress);
        return new IPAddress([198, (byte)(18 + (n >> 16 & 1)), (byte)(n >> 8), (byte)n]);
    }

    /// <summary>An instance of the service with settings changed, whose visitors' addresses come from the test header.</summary>
    public static WebApplicationFactory<Program> ServiceWith(params (string Key, string Value)[] settings) =>
        Api.ServiceWith(settings).WithWebHostBuilder(builder =>
            builder.ConfigureServices(services => services.AddTransient<IStartupFilter, ClientAddressFromHeader>()));

    public static HttpClient Visitor(this WebApplicationFactory<Program> service, string? userAgent, IPAddress address)
    {
        var client = service.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (userAgent is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
        }
        client.DefaultRequestHeaders.Add(AddressHeader, address.ToString());
        return client;
    }

    public static async Task<List<ClickRow>> ClicksAsync(string code)
    {
        await using var connection = await TestRun.Database.OpenAsync();
        return [.. await connection.QueryAsync<ClickRow>(
            "SELECT id, code, program_id, clicked_at, ip_hash, platform, os_version, browser, referer_host, utm_source, utm_medium, " +
            "utm_campaign, utm_term, utm_content FROM clicks WHERE code = @code ORDER BY clicked_at, id", new { code })];
    }

    /// <summary>The code's clicks once there are at least <paramref name="count"/> (the writer works off the request path).</summary>
    public static async Task<List<ClickRow>> ClicksOnceWrittenAsync(string code, int count)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var clicks = await ClicksAsync(code);
            if (clicks.Count >= count)
            {
                return clicks;
            }
            await Task.Delay(50);
        }
        return await ClicksAsync(code);
    }

    /// <summary>Sets a new program's link settings through the program API (left out when null).</summary>
    public static async Task SetProgramLinksAsync(Guid programId, string? landingUrl, string? iosAppStoreUrl, string? androidPackage)
    {
        using var admin = Api.Admin();
        await admin.Programs.UpdateProgramAsync(programId, new ProgramChange(
            Links: new ProgramLinks(LandingUrl: landingUrl, IosAppStoreUrl: iosAppStoreUrl, AndroidPackage: androidPackage))).Ok();
    }

    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, nextMiddleware) =>
            {
                if (IPAddress.TryParse(http.Request.Headers[AddressHeader].ToString(), out var address))
                {
                    http.Connection.RemoteIpAddress = address;
                }
                return nextMiddleware(http);
            });
            next(app);
        };
    }
}

/// <summary>One instance of the service for the share-link tests, started once, with addresses from the test header.</summary>
[SetUpFixture]
internal sealed class LinkService
{
    private static WebApplicationFactory<Program>? service;

    public static WebApplicationFactory<Program> Instance => service ?? throw new InvalidOperationException("not started");

    [OneTimeSetUp]
    public void Start()
    {
        service = ShareLinks.ServiceWith();
        service.CreateClient().Dispose();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (service is not null)
        {
            await service.DisposeAsync();
        }
    }
}
