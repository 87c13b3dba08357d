using System.Globalization;
using System.Text.RegularExpressions;
using ReferralService.Programs;

namespace ReferralService.Links;

/// <summary>
/// The text a customer shares with their link: the program's shareTextTemplate (or <see cref="DefaultTemplate"/>) with
/// {code}, {shareUrl} and {offer} filled in, {offer} being what the friend gets, in words.
/// </summary>
internal static partial class ShareText
{
    public const string DefaultTemplate = "{offer} with my code {code}: {shareUrl}";

    public static string Render(string? template, string code, Uri shareUrl, string offer) =>
        // One pass, so that a filled-in value can never bring a placeholder of its own.
        Placeholders().Replace(template ?? DefaultTemplate, m => m.Value switch
        {
            "{code}" => code,
            "{shareUrl}" => shareUrl.AbsoluteUri,
            _ => offer,
        });

    /// <summary>
    /// What the friend gets, in words: a referral program's friend side (refereeOffer's discount, else refereeReward's
    /// credit) on their first order; a promo or partner program's offer, on their first order when the program is for new
    /// customers only, else on their order.
    /// </summary>
    public static string Offer(ProgramRow p)
    {
        if (p.Kind == ProgramKinds.Referral && p.OfferType is null)
        {
            return $"Get {Money.InWords(p.RefereeReward, p.Currency)} in credit";
        }
        if (p.OfferType == "credit")
        {
            return $"Get {Money.InWords(p.OfferAmount ?? 0, p.Currency)} in credit";
        }
        var order = p.Kind == ProgramKinds.Referral || p.NewCustomersOnly ? "your first order" : "your order";
        if (p.OfferPercentOff is { } basisPoints)
        {
            var cap = p.OfferMaxDiscount is { } max ? $" (up to {Money.InWords(max, p.Currency)})" : "";
            return $"Get {Percent(basisPoints)} off {order}{cap}";
        }
        return $"Get {Money.InWords(p.OfferAmount ?? 0, p.Currency)} off {order}";
    }

    /// <summary>Basis points as a percentage: 1500 is 15%, 1250 is 12.5%.</summary>
    public static string Percent(int basisPoints) => (basisPoints / 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    [GeneratedRegex(@"\{code\}|\{shareUrl\}|\{offer\}")]
    private static partial Regex Placeholders();
}

/// <summary>
/// An amount in minor units as a person reads it: $10, $10.50, ¥1,000, €7.25, CHF 12. The service runs with invariant
/// globalization (no ICU in its image, Directory.Build.props), so the framework's culture data is not there to ask, and no
/// package on the NuGet feed we use carries ISO 4217: the two small tables below are written by hand.
/// </summary>
internal static class Money
{
    public static string InWords(long minorUnits, string currency)
    {
        var digits = MinorUnits(currency);
        var value = minorUnits / (decimal)Math.Pow(10, digits);
        var number = value.ToString(value == decimal.Truncate(value) ? "#,##0" : "#,##0." + new string('0', digits), CultureInfo.InvariantCulture);
        return Symbols.TryGetValue(currency, out var symbol) ? symbol + number : $"{currency} {number}";
    }

    /// <summary>The digits after the decimal point of a currency (ISO 4217 minor units): 2 unless listed.</summary>
    public static int MinorUnits(string currency) => currency switch
    {
        "BIF" or "CLP" or "DJF" or "GNF" or "ISK" or "JPY" or "KMF" or "KRW" or "PYG" or "RWF" or "UGX" or "UYI" or "VND"
            or "VUV" or "XAF" or "XOF" or "XPF" => 0,
        "BHD" or "IQD" or "JOD" or "KWD" or "LYD" or "OMR" or "TND" => 3,
        "CLF" or "UYW" => 4,
        _ => 2,
    };

    // The symbols English text uses (CLDR's "en" locale); any other currency is written with its code, e.g. CHF 12.
    private static readonly Dictionary<string, string> Symbols = new(StringComparer.Ordinal)
    {
        ["USD"] = "$", ["EUR"] = "€", ["GBP"] = "£", ["JPY"] = "¥", ["INR"] = "₹", ["KRW"] = "₩", ["ILS"] = "₪", ["VND"] = "₫",
        ["CAD"] = "CA$", ["AUD"] = "A$", ["NZD"] = "NZ$", ["HKD"] = "HK$", ["MXN"] = "MX$", ["BRL"] = "R$", ["CNY"] = "CN¥",
        ["TWD"] = "NT$", ["PHP"] = "₱",
    };
}
