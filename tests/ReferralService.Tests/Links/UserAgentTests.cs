using ReferralService.Links;

namespace ReferralService.Tests.Links;

internal sealed class UserAgentTests
{
    private static readonly UserAgents Rules = new();

    [OneTimeTearDown]
    public static void Dispose() => Rules.Dispose();

    [TestCase(Agents.IosSafari, "ios", "17.4", "Mobile Safari")]
    [TestCase("Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
        "ios", "16.6", "Mobile Safari")]
    [TestCase("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1",
        "ios", "17.4", "Chrome Mobile iOS")]
    [TestCase(Agents.AndroidChrome, "android", "10", "Chrome Mobile")]
    [TestCase("Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
        "android", "13", "Samsung Internet")]
    [TestCase(Agents.DesktopChrome, "desktop", "10", "Chrome")]
    [TestCase(Agents.DesktopFirefox, "desktop", "10", "Firefox")]
    [TestCase(Agents.DesktopSafari, "desktop", "10.15", "Safari")]
    [TestCase("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "desktop", null, "Firefox")]
    [TestCase("Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko)", "other", null, "Apple Mail")]
    public void A_browser_is_classified_by_platform_os_version_and_family(string userAgent, string platform, string? os, string? browser) =>
        Assert.That(Rules.Classify(userAgent), Is.EqualTo(new VisitorAgent(platform, os, browser, IsBot: false)));

    [TestCase(Agents.Slack)]
    [TestCase(Agents.WhatsApp)]
    [TestCase(Agents.IMessage)]
    [TestCase(Agents.Facebook)]
    [TestCase("facebookexternalhit/1.1;line/11.8.0")]
    [TestCase(Agents.Twitter)]
    [TestCase(Agents.Telegram)]
    [TestCase(Agents.Discord)]
    [TestCase(Agents.LinkedIn)]
    [TestCase("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")]
    [TestCase("Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5")]
    [TestCase("curl/8.5.0")]
    [TestCase("")]
    [TestCase("   ")]
    public void Bots_and_link_preview_fetchers_are_bots(string userAgent) =>
        Assert.That(Rules.Classify(userAgent).IsBot, Is.True);

    [Test]
    public void The_rule_sets_load_with_their_parsers()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Rules.BrowserRuleCount, Is.GreaterThan(300));
            Assert.That(Rules.OsRuleCount, Is.GreaterThan(100));
        });
    }

    [Test]
    public void A_burst_of_one_user_agent_costs_one_parse()
    {
        using var rules = new UserAgents();

        for (var i = 0; i < 1000; i++)
        {
            rules.Classify(Agents.IosSafari);
            rules.Classify(Agents.AndroidChrome + " ");
            rules.Classify(Agents.Slack);
        }

        Assert.That(rules.Parses, Is.EqualTo(3));
    }

    [Test]
    public void A_very_long_user_agent_is_cut_before_parsing()
    {
        var padded = Agents.DesktopFirefox + new string('a', 100_000);

        Assert.That(Rules.Classify(padded), Is.EqualTo(new VisitorAgent("desktop", "10", "Firefox", IsBot: false)));
    }

    [TestCase("iOS", "ios")]
    [TestCase("Android", "android")]
    [TestCase("Windows", "desktop")]
    [TestCase("Mac OS X", "desktop")]
    [TestCase("Ubuntu", "desktop")]
    [TestCase("Chrome OS", "desktop")]
    [TestCase("Windows Phone", "other")]
    [TestCase(null, "other")]
    public void Platforms_come_from_the_os_family(string? family, string platform) =>
        Assert.That(UserAgents.PlatformOf(family), Is.EqualTo(platform));
}
