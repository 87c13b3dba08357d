using ReferralService.Links;

namespace ReferralService.Tests.Links;

/// <summary>Amounts in words by the currency's ISO 4217 minor units, and share texts filled in one pass.</summary>
internal sealed class ShareTextTests
{
    [TestCase(1000, "USD", "$10")]
    [TestCase(1050, "EUR", "€10.50")]
    [TestCase(123456789, "USD", "$1,234,567.89")]
    [TestCase(1000, "JPY", "¥1,000")]
    [TestCase(12345, "KWD", "KWD 12.345")]
    [TestCase(1200, "CHF", "CHF 12")]
    [TestCase(5, "GBP", "£0.05")]
    [TestCase(2500, "CAD", "CA$25")]
    public void An_amount_in_minor_units_reads_as_money(long amount, string currency, string words) =>
        Assert.That(Money.InWords(amount, currency), Is.EqualTo(words));

    [TestCase(1500, "15%")]
    [TestCase(1250, "12.5%")]
    [TestCase(1234, "12.34%")]
    [TestCase(10_000, "100%")]
    public void Basis_points_read_as_a_percentage(int basisPoints, string words) =>
        Assert.That(ShareText.Percent(basisPoints), Is.EqualTo(words));

    [Test]
    public void A_filled_in_value_is_never_read_as_a_placeholder() =>
        Assert.That(ShareText.Render("{offer} / {code} / {shareUrl}", "ABC", new Uri("https://x.test/r/ABC"), "Get {code}"),
            Is.EqualTo("Get {code} / ABC / https://x.test/r/ABC"));
}
