using System.ComponentModel.DataAnnotations;

namespace ReferralService.Links;

/// <summary>Share links, redirects, app links and attribution ("Links" in configuration).</summary>
internal sealed class LinkOptions
{
    /// <summary>The share domain's origin, without a trailing slash: where /r/{code} and /.well-known are served.</summary>
    [Required, Url]
    public string BaseUrl { get; set; } = "https://refer.example.com";

    /// <summary>A code's share URL; placeholders {baseUrl} and {code}.</summary>
    [Required]
    public string ShareUrlTemplate { get; set; } = "{baseUrl}/r/{code}";

    /// <summary>The app's deep link for a code (placeholder {code}), e.g. myapp://invite?code={code}; a program's own template wins.</summary>
    public string? DeepLinkTemplate { get; set; }

    /// <summary>Where a redirect sends a browser when the code's program has no landingUrl of its own.</summary>
    [Required, Url]
    public string DefaultLandingUrl { get; set; } = "https://shop.example.com/";

    /// <summary>iOS apps that open share links (apple-app-site-association): TEAMID.bundle.id.</summary>
    public string[] AppleAppIds { get; set; } = [];

    /// <summary>Android apps that open share links (assetlinks.json).</summary>
    public AndroidApp[] AndroidApps { get; set; } = [];

    /// <summary>How long after a click a fingerprint claim (same address hash and platform) may still match it.</summary>
    [Range(1, 1440)]
    public int ClaimWindowMinutes { get; set; } = 60;

    /// <summary>How long the redirect may use a code's looked-up target: the longest a disabled code keeps redirecting.</summary>
    [Range(0, 10)]
    public int CodeCacheSeconds { get; set; } = 5;

    /// <summary>Clicks waiting to be written; when full, new clicks are dropped (and counted), never waited for.</summary>
    [Range(1, 10_000_000)]
    public int ClickQueueCapacity { get; set; } = 20_000;

    /// <summary>Most clicks written by one insert; at most 4,000 keeps SQL Server's key locks under lock escalation.</summary>
    [Range(1, 4_000)]
    public int ClickBatchSize { get; set; } = 1_000;

    /// <summary>How long the writer waits for a batch to fill before writing what it has.</summary>
    [Range(0, 600_000)]
    public int ClickFlushMilliseconds { get; set; } = 200;
}

internal sealed class AndroidApp
{
    [Required]
    public string Package { get; set; } = "";

    /// <summary>SHA-256 fingerprints of the app's signing certificates, as AB:CD:... (keytool's format).</summary>
    public string[] Sha256CertFingerprints { get; set; } = [];
}
