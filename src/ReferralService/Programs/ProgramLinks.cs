using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using ReferralService.Infrastructure;

namespace ReferralService.Programs;

/// <summary>
/// A program's link settings, all optional: where the share link sends a browser (<c>landingUrl</c>), an iPhone
/// (<c>iosAppStoreUrl</c>) and an Android phone (the Play Store page of <c>androidPackage</c>); the app's deep link for a
/// code (<c>deepLinkTemplate</c>, placeholder {code}; Links:DeepLinkTemplate when not set); the share text
/// (<c>shareTextTemplate</c>, placeholders {code}, {shareUrl} and {offer}). On PATCH each field is a JSON merge patch:
/// left out, it stays; null clears it; a value sets it.
/// </summary>
public sealed class ProgramLinksRequest
{
    // Which properties the body named: a PATCH tells "leave as it is" (absent) from "clear" (null) by it.
    // The JSON reader calls a setter only for a property the body has.
    private readonly HashSet<string> given = [];

    [WebUrl]
    public string? LandingUrl { get; init { field = value; given.Add(nameof(LandingUrl)); } }

    [WebUrl]
    public string? IosAppStoreUrl { get; init { field = value; given.Add(nameof(IosAppStoreUrl)); } }

    [AndroidPackage]
    public string? AndroidPackage { get; init { field = value; given.Add(nameof(AndroidPackage)); } }

    [DeepLinkTemplate]
    public string? DeepLinkTemplate { get; init { field = value; given.Add(nameof(DeepLinkTemplate)); } }

    [ShareTextTemplate]
    public string? ShareTextTemplate { get; init { field = value; given.Add(nameof(ShareTextTemplate)); } }

    /// <summary>What update_program takes for a setting: NULL leaves it, '' clears it (never a valid value), else the value.</summary>
    internal string? Change(string name, string? value) => !given.Contains(name) ? null : value ?? "";
}

/// <summary>A program's link settings as programs answer them; a setting not set is null.</summary>
internal sealed record ProgramLinksResponse(
    string? LandingUrl, string? IosAppStoreUrl, string? AndroidPackage, string? DeepLinkTemplate, string? ShareTextTemplate);

/// <summary>The rules of the link settings, checked before any database call.</summary>
internal static partial class LinkSettingRules
{
    public const int MaxUrlLength = 2000;
    public const int MaxPackageLength = 255;
    public const int MaxShareTextLength = 1000;

    public const string WebUrlRule =
        "An absolute https URL (http only for localhost or 127.0.0.1) of at most 2000 characters, without user name or password.";
    public const string AndroidPackageRule =
        "An Android application id (a Java package name): two or more dot-separated parts, each a letter then letters, digits or underscores; at most 255 characters.";
    public const string DeepLinkRule =
        "An absolute URI with https or the app's own scheme (e.g. myapp://invite?code={code}) containing {code}, at most 2000 characters.";
    public const string ShareTextRule =
        "1-1000 characters; placeholders {code}, {shareUrl} and {offer}. " + Inputs.FreeTextRule;

    public static readonly IReadOnlyList<string> SharePlaceholders = ["{code}", "{shareUrl}", "{offer}"];

    // Schemes that are not an app's own and must never be a deep link: script, inline data, local files, plain web.
    private static readonly HashSet<string> ForbiddenDeepLinkSchemes = new(StringComparer.OrdinalIgnoreCase)
    {
        "http", "javascript", "vbscript", "data", "file", "about", "blob", "ftp", "ws", "wss", "mailto", "tel", "sms",
    };

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$")]
    private static partial Regex JavaPackage();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex Placeholder();

    public static bool IsWebUrl(string value) =>
        value.Length <= MaxUrlLength && !HasSpaceOrControl(value)
        && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.UserInfo.Length == 0 && uri.Host.Length > 0
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLocalHost(uri)));

    public static bool IsAndroidPackage(string value) => value.Length <= MaxPackageLength && JavaPackage().IsMatch(value);

    /// <summary>Null when the template is fine, else why not.</summary>
    public static string? DeepLinkProblem(string value)
    {
        if (value.Length > MaxUrlLength || HasSpaceOrControl(value) || !value.Contains("{code}", StringComparison.Ordinal))
        {
            return DeepLinkRule;
        }
        if (UnknownPlaceholder(value, ["{code}"]) is { } unknown)
        {
            return $"Unknown placeholder {unknown}: a deep link takes {{code}} only.";
        }
        return Uri.TryCreate(value.Replace("{code}", "CODE", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            && !ForbiddenDeepLinkSchemes.Contains(uri.Scheme)
            ? null
            : DeepLinkRule;
    }

    /// <summary>Null when the template is fine, else why not.</summary>
    public static string? ShareTextProblem(string value)
    {
        if (value.Length is 0 or > MaxShareTextLength || string.IsNullOrWhiteSpace(value) || !Inputs.IsFreeText(value))
        {
            return ShareTextRule;
        }
        return UnknownPlaceholder(value, SharePlaceholders) is { } unknown
            ? $"Unknown placeholder {unknown}: use {{code}}, {{shareUrl}} or {{offer}}."
            : null;
    }

    private static string? UnknownPlaceholder(string template, IReadOnlyList<string> known) =>
        Placeholder().Matches(template).Select(m => m.Value).FirstOrDefault(p => !known.Contains(p));

    private static bool IsLocalHost(Uri uri) => uri.IsLoopback && uri.Host is "localhost" or "127.0.0.1" or "[::1]";

    private static bool HasSpaceOrControl(string value) => value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));
}

// Validation attributes for the settings. Each derives from StringLengthAttribute, whose maximum the OpenAPI document shows.

[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class WebUrlAttribute : StringLengthAttribute
{
    public WebUrlAttribute() : base(LinkSettingRules.MaxUrlLength) => (MinimumLength, ErrorMessage) = (1, LinkSettingRules.WebUrlRule);

    public override bool IsValid(object? value) => value is null || (value is string s && LinkSettingRules.IsWebUrl(s));
}

[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class AndroidPackageAttribute : StringLengthAttribute
{
    public AndroidPackageAttribute() : base(LinkSettingRules.MaxPackageLength) => (MinimumLength, ErrorMessage) = (1, LinkSettingRules.AndroidPackageRule);

    public override bool IsValid(object? value) => value is null || (value is string s && LinkSettingRules.IsAndroidPackage(s));
}

[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class DeepLinkTemplateAttribute : StringLengthAttribute
{
    public DeepLinkTemplateAttribute() : base(LinkSettingRules.MaxUrlLength) => (MinimumLength, ErrorMessage) = (1, LinkSettingRules.DeepLinkRule);

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is not string s || LinkSettingRules.DeepLinkProblem(s) is not { } problem
            ? ValidationResult.Success
            : new ValidationResult(problem, validationContext.MemberName is { } member ? [member] : null);
}

[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class ShareTextTemplateAttribute : StringLengthAttribute
{
    public ShareTextTemplateAttribute() : base(LinkSettingRules.MaxShareTextLength) => (MinimumLength, ErrorMessage) = (1, LinkSettingRules.ShareTextRule);

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is not string s || LinkSettingRules.ShareTextProblem(s) is not { } problem
            ? ValidationResult.Success
            : new ValidationResult(problem, validationContext.MemberName is { } member ? [member] : null);
}
