using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace ReferralService.Links;

/// <summary>
/// The two documents that let the share domain open the app when it is installed, built from Links:AppleAppIds and
/// Links:AndroidApps: Apple's apple-app-site-association (universal links) and Google's assetlinks.json (App Links).
/// Both for share links only: /r/*. Without configured apps they are valid documents that name no app.
/// </summary>
internal sealed class AppLinks(IOptions<LinkOptions> options)
{
    public const string Paths = "/r/*";

    /// <summary>
    /// Each app in both forms, in one entry: appIDs and components (iOS 13 and later) and appID and paths (before),
    /// with the empty "apps" array the older form requires. Each version reads its own keys.
    /// </summary>
    public string AppleAppSiteAssociation { get; } = new JsonObject
    {
        ["applinks"] = new JsonObject
        {
            ["apps"] = new JsonArray(),
            ["details"] = new JsonArray([.. options.Value.AppleAppIds.Select(id => (JsonNode)new JsonObject
            {
                ["appIDs"] = new JsonArray(JsonValue.Create(id)),
                ["components"] = new JsonArray(new JsonObject { ["/"] = Paths, ["comment"] = "share links" }),
                ["appID"] = id,
                ["paths"] = new JsonArray(JsonValue.Create(Paths)),
            })]),
        },
    }.ToJsonString();

    public string AssetLinks { get; } = new JsonArray([.. options.Value.AndroidApps.Select(app => (JsonNode)new JsonObject
    {
        ["relation"] = new JsonArray(JsonValue.Create("delegate_permission/common.handle_all_urls")),
        ["target"] = new JsonObject
        {
            ["namespace"] = "android_app",
            ["package_name"] = app.Package,
            ["sha256_cert_fingerprints"] = new JsonArray([.. app.Sha256CertFingerprints.Select(f => (JsonNode?)JsonValue.Create(f))]),
        },
    })]).ToJsonString();
}
