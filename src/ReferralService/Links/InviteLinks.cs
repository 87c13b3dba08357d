using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using ReferralService.Programs;

namespace ReferralService.Links;

/// <summary>
/// The links of a code, built in one place: its share URL (Links:ShareUrlTemplate with {baseUrl} = Links:BaseUrl) and its
/// app deep link (the program's deepLinkTemplate, else Links:DeepLinkTemplate, else none). Codes are letters, digits and
/// hyphens, so they need no escaping; they are escaped all the same, so that a template can never be broken by one.
/// </summary>
internal sealed partial class InviteLinks(IOptions<LinkOptions> options)
{
    public Uri ShareUrl(string code) => new(ShareUrlText(options.Value, code), UriKind.Absolute);

    /// <summary>The app's link for the code, or null when neither the program nor the configuration has a template.</summary>
    public Uri? DeepLink(string code, string? programTemplate) =>
        (programTemplate ?? options.Value.DeepLinkTemplate) is { } template ? new Uri(Fill(template, code)) : null;

    /// <summary>Whether the configured templates make absolute URIs (checked at start-up).</summary>
    public static bool HasValidTemplates(LinkOptions o) =>
        o.ShareUrlTemplate.Contains("{code}", StringComparison.Ordinal)
        && Uri.TryCreate(ShareUrlText(o, "CODE"), UriKind.Absolute, out var share) && share.Scheme is "https" or "http"
        && (o.DeepLinkTemplate is null || LinkSettingRules.DeepLinkProblem(o.DeepLinkTemplate) is null);

    private static string ShareUrlText(LinkOptions o, string code) =>
        Placeholders().Replace(o.ShareUrlTemplate, m => m.Value == "{baseUrl}" ? o.BaseUrl.TrimEnd('/') : Uri.EscapeDataString(code));

    private static string Fill(string template, string code) => template.Replace("{code}", Uri.EscapeDataString(code), StringComparison.Ordinal);

    // One pass, so that a base URL can never bring a placeholder of its own.
    [GeneratedRegex(@"\{baseUrl\}|\{code\}")]
    private static partial Regex Placeholders();
}
