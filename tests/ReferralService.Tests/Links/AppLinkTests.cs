using System.Net;
using System.Text.Json;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Links;

internal sealed class AppLinkTests
{
    private static readonly string[] AppleAppIds = ["ABCDE12345.com.example.shop", "ABCDE12345.com.example.shop.beta"];

    [Test]
    public async Task Without_configured_apps_both_documents_are_valid_json_naming_no_app()
    {
        using var client = Api.Client(null);

        var apple = await DocumentAsync(client, "/.well-known/apple-app-site-association");
        var android = await DocumentAsync(client, "/.well-known/assetlinks.json");

        Assert.Multiple(() =>
        {
            Assert.That(apple.GetProperty("applinks").GetProperty("apps").GetArrayLength(), Is.Zero);
            Assert.That(apple.GetProperty("applinks").GetProperty("details").GetArrayLength(), Is.Zero);
            Assert.That(android.ValueKind, Is.EqualTo(JsonValueKind.Array));
            Assert.That(android.GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public async Task Configured_apps_open_share_links_on_ios_and_android()
    {
        const string Fingerprint = "14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5";
        await using var service = Api.ServiceWith(
            ("Links:AppleAppIds:0", AppleAppIds[0]), ("Links:AppleAppIds:1", AppleAppIds[1]),
            ("Links:AndroidApps:0:Package", "com.example.shop"), ("Links:AndroidApps:0:Sha256CertFingerprints:0", Fingerprint));
        using var client = service.Client(null);

        var apple = await DocumentAsync(client, "/.well-known/apple-app-site-association");
        var android = await DocumentAsync(client, "/.well-known/assetlinks.json");

        var details = apple.GetProperty("applinks").GetProperty("details").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(details.Select(d => d.GetProperty("appID").GetString()),
                Is.EqualTo(AppleAppIds));
            Assert.That(details.Select(d => d.GetProperty("appIDs")[0].GetString()), Is.EqualTo(details.Select(d => d.GetProperty("appID").GetString())));
            Assert.That(details.Select(d => d.GetProperty("paths")[0].GetString()), Is.All.EqualTo("/r/*"));
            Assert.That(details.Select(d => d.GetProperty("components")[0].GetProperty("/").GetString()), Is.All.EqualTo("/r/*"));
            Assert.That(android.GetArrayLength(), Is.EqualTo(1));
            Assert.That(android[0].GetProperty("relation")[0].GetString(), Is.EqualTo("delegate_permission/common.handle_all_urls"));
            Assert.That(android[0].GetProperty("target").GetProperty("namespace").GetString(), Is.EqualTo("android_app"));
            Assert.That(android[0].GetProperty("target").GetProperty("package_name").GetString(), Is.EqualTo("com.example.shop"));
            Assert.That(android[0].GetProperty("target").GetProperty("sha256_cert_fingerprints")[0].GetString(), Is.EqualTo(Fingerprint));
        });
    }

    /// <summary>The document, asserting what Apple and Google require: 200 without a redirect, application/json, valid JSON.</summary>
    private static async Task<JsonElement> DocumentAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), path);
        });
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
