using System.Text.RegularExpressions;

namespace ReferralService.Infrastructure;

/// <summary>Shapes of identifiers, checked before any database call.</summary>
internal static partial class Inputs
{
    public const string CustomerIdPattern = "^[A-Za-z0-9._:@-]{1,64}$";
    public const string CurrencyPattern = "^[A-Z]{3}$";
    public const string OrderIdPattern = "^[A-Za-z0-9._:@/#-]{1,64}$";

    public const string CustomerIdRule = "1-64 letters, digits or ._:@-";
    public const string CurrencyRule = "Three upper-case letters (ISO 4217).";
    public const string OrderIdRule = "1-64 letters, digits or ._:@/#-";
    public const string AmountRule = "A positive whole number of minor units.";

    [GeneratedRegex(CustomerIdPattern)]
    private static partial Regex CustomerId();

    public static bool IsCustomerId(string? value) => value is not null && CustomerId().IsMatch(value);

    /// <summary>Codes are case-insensitive on input: compare in upper case, ignore surrounding spaces.</summary>
    public static string NormalizeCode(string code) => code.Trim().ToUpperInvariant();
}
