using System.Buffers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Caching.Memory;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ReferralService.Links;

/// <summary>What a User-Agent says about the visitor: platform (ios, android, desktop, other), OS version, browser family, bot.</summary>
internal sealed record VisitorAgent(string Platform, string? OsVersion, string? Browser, bool IsBot);

/// <summary>
/// Classifies User-Agent strings with maintained rule sets vendored in Links/Rules (see VERSIONS and
/// scripts/refresh-ua-rules.sh): uap-core's regexes.yaml for the OS and browser family, crawler-user-agents for bots
/// and link-preview fetchers, plus bot-supplement.txt. The regexes are built once, at start-up; answers are cached
/// per User-Agent string (bounded), so a burst from one kind of phone costs one parse.
/// </summary>
internal sealed class UserAgents : IDisposable
{
    /// <summary>Longer User-Agents are cut to this before parsing (uap-core's own ports do the same): real ones are shorter.</summary>
    public const int MaxLength = 512;

    // The parsers run on input anyone can send: a pathological string gives up rather than holding a thread.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private static readonly VisitorAgent Unknown = new("other", null, null, IsBot: true);

    private readonly Parser[] browsers;
    private readonly Parser[] systems;
    private readonly SearchValues<string> botWords;
    private readonly Regex bots;
    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = 10_000 });
    private long parses;

    public UserAgents()
    {
        var uap = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).IgnoreUnmatchedProperties().Build()
            .Deserialize<UapRules>(ReadRule("uap-regexes.yaml"));
        browsers = [.. uap.UserAgentParsers.Select(Parser.Of)];
        systems = [.. uap.OsParsers.Select(Parser.Of)];
        var crawlers = JsonSerializer.Deserialize<CrawlerPattern[]>(ReadRule("crawler-user-agents.json"), JsonSerializerOptions.Web) ?? [];
        var supplement = ReadRule("bot-supplement.txt").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));
        // Nearly all of the ~1,500 patterns are plain words ("Slackbot-LinkExpanding", "facebookexternalhit"): those are
        // searched for all at once (SearchValues: Aho-Corasick, one pass), and only the few real regexes run as one
        // alternation. The whole list as one regex took 2-20 ms per User-Agent.
        var patterns = crawlers.Select(c => c.Pattern).Concat(supplement).ToList();
        var words = new List<string>();
        var regexes = new List<string>();
        foreach (var pattern in patterns)
        {
            if (Literal(pattern) is { } word)
            {
                words.Add(word);
            }
            else
            {
                regexes.Add(pattern);
            }
        }
        botWords = SearchValues.Create([.. words], StringComparison.Ordinal);
        bots = new Regex(string.Join('|', regexes.Select(p => $"(?:{p})")), RegexOptions.CultureInvariant, MatchTimeout);
    }

    public int BrowserRuleCount => browsers.Length;

    public int OsRuleCount => systems.Length;

    /// <summary>User-Agents parsed so far (not answered from the cache).</summary>
    public long Parses => Interlocked.Read(ref parses);

    public VisitorAgent Classify(string? userAgent)
    {
        // No User-Agent at all is a script, not a person's browser: not counted as a click.
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return Unknown;
        }
        var key = userAgent.Length > MaxLength ? userAgent[..MaxLength] : userAgent;
        if (cache.TryGetValue(key, out VisitorAgent? known) && known is not null)
        {
            return known;
        }
        var parsed = Parse(key);
        cache.Set(key, parsed, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
        return parsed;
    }

    private VisitorAgent Parse(string userAgent)
    {
        Interlocked.Increment(ref parses);
        try
        {
            var isBot = userAgent.AsSpan().ContainsAny(botWords) || bots.IsMatch(userAgent);
            var os = First(systems, userAgent);
            var browser = First(browsers, userAgent);
            var osFamily = os is null ? null : Parser.Replace(os.Value.Match, os.Value.Parser.FamilyReplacement, 1);
            var major = os is null ? null : Parser.Replace(os.Value.Match, os.Value.Parser.V1Replacement, 2);
            var minor = os is null ? null : Parser.Replace(os.Value.Match, os.Value.Parser.V2Replacement, 3);
            var version = string.IsNullOrEmpty(major) ? null : string.IsNullOrEmpty(minor) ? major : $"{major}.{minor}";
            var family = browser is null ? null : Parser.Replace(browser.Value.Match, browser.Value.Parser.FamilyReplacement, 1);
            return new VisitorAgent(PlatformOf(osFamily), Cut(version, 20), Cut(family, 50), isBot);
        }
        catch (RegexMatchTimeoutException)
        {
            return Unknown;
        }
    }

    /// <summary>The text a pattern matches when it is a plain word (escapes of punctuation allowed), else null.</summary>
    internal static string? Literal(string pattern)
    {
        var text = new StringBuilder(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 < pattern.Length && !char.IsAsciiLetterOrDigit(pattern[i + 1]))
                {
                    text.Append(pattern[++i]);
                    continue;
                }
                return null; // \d, \s, \b...: a class or an assertion
            }
            if ("^$.*+?()[]{}|".Contains(c, StringComparison.Ordinal))
            {
                return null;
            }
            text.Append(c);
        }
        return text.ToString();
    }

    private static (Parser Parser, Match Match)? First(Parser[] parsers, string userAgent)
    {
        foreach (var parser in parsers)
        {
            var match = parser.Regex.Match(userAgent);
            if (match.Success)
            {
                return (parser, match);
            }
        }
        return null;
    }

    /// <summary>The platform a redirect targets, from uap-core's OS family.</summary>
    internal static string PlatformOf(string? osFamily) => osFamily switch
    {
        "iOS" or "iPadOS" => "ios",
        "Android" => "android",
        "Mac OS X" or "macOS" or "Linux" or "Ubuntu" or "Debian" or "Fedora" or "Red Hat" or "SUSE" or "openSUSE" or "Linux Mint"
            or "Arch Linux" or "Gentoo" or "Slackware" or "Mandriva" or "CentOS" or "Chrome OS" or "ChromeOS" or "FreeBSD" or "OpenBSD"
            or "NetBSD" or "Solaris" => "desktop",
        _ when osFamily is not null && osFamily.StartsWith("Windows", StringComparison.Ordinal)
            && !osFamily.Contains("Phone", StringComparison.Ordinal) && !osFamily.Contains("Mobile", StringComparison.Ordinal)
            && !osFamily.Contains("CE", StringComparison.Ordinal) && !osFamily.Contains("RT", StringComparison.Ordinal) => "desktop",
        _ => "other",
    };

    private static string? Cut(string? value, int length) =>
        string.IsNullOrWhiteSpace(value) || value == "Other" ? null : value.Length > length ? value[..length] : value;

    private static string ReadRule(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"ReferralService.Links.Rules.{name}")
            ?? throw new InvalidOperationException($"The embedded rule file Links/Rules/{name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public void Dispose() => cache.Dispose();

    /// <summary>One uap-core rule: a regex and the replacements of its family and first two version numbers.</summary>
    private sealed record Parser(Regex Regex, string? FamilyReplacement, string? V1Replacement, string? V2Replacement)
    {
        public static Parser Of(UapRule rule) => new(
            new Regex(rule.Regex, RegexOptions.CultureInvariant | (rule.RegexFlag == "i" ? RegexOptions.IgnoreCase : RegexOptions.None), MatchTimeout),
            rule.FamilyReplacement ?? rule.OsReplacement, rule.V1Replacement ?? rule.OsV1Replacement, rule.V2Replacement ?? rule.OsV2Replacement);

        /// <summary>uap-core's rule: the replacement with $1..$9 filled from the match, else the group's own text.</summary>
        public static string? Replace(Match match, string? replacement, int group)
        {
            if (replacement is null)
            {
                return match.Groups.Count > group && match.Groups[group].Success ? match.Groups[group].Value.Trim() : null;
            }
            var filled = replacement;
            for (var i = 1; i < match.Groups.Count && i <= 9; i++)
            {
                filled = filled.Replace($"${i}", match.Groups[i].Success ? match.Groups[i].Value : "", StringComparison.Ordinal);
            }
            return filled.Trim();
        }
    }

    private sealed class UapRules
    {
        public List<UapRule> UserAgentParsers { get; set; } = [];

        public List<UapRule> OsParsers { get; set; } = [];
    }

    private sealed class UapRule
    {
        public string Regex { get; set; } = "";

        public string? RegexFlag { get; set; }

        public string? FamilyReplacement { get; set; }

        public string? V1Replacement { get; set; }

        public string? V2Replacement { get; set; }

        public string? OsReplacement { get; set; }

        public string? OsV1Replacement { get; set; }

        public string? OsV2Replacement { get; set; }
    }

    private sealed record CrawlerPattern(string Pattern);
}
