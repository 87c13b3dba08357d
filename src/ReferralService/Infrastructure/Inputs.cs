using System.Buffers;
using System.ComponentModel.DataAnnotations;

namespace ReferralService.Infrastructure;

/// <summary>
/// The one rule for each kind of input, checked before any database call, in paths and bodies alike.
/// Each check matches the whole string (no regular expression whose <c>$</c> would let a final newline
/// through); the patterns are for the OpenAPI document, and the schema's CHECK constraints repeat the rules.
/// </summary>
internal static class Inputs
{
    /// <summary>The most any one amount (a reward, an order, a spend) may be: 10^12 minor units.</summary>
    public const long MaxAmount = 1_000_000_000_000;

    public const string CustomerIdPattern = "^[A-Za-z0-9._:@-]{1,64}$";
    public const string OrderIdPattern = "^[A-Za-z0-9._:@/#-]{1,64}$";
    public const string CodePattern = "^[A-Za-z0-9-]{1,32}$";
    public const string VanityCodePattern = "^[A-Za-z0-9-]{3,32}$";
    public const string CurrencyPattern = "^[A-Z]{3}$";

    public const string CustomerIdRule = "1-64 letters, digits or ._:@-";
    public const string OrderIdRule = "1-64 letters, digits or ._:@/#-";
    public const string CodeRule = "1-32 letters, digits or hyphens.";
    public const string VanityCodeRule = "3-32 letters, digits or hyphens.";
    public const string CurrencyRule = "Three upper-case letters (ISO 4217).";
    public const string AmountRule = "A positive whole number of minor units, at most 1000000000000.";
    public const string NonNegativeAmountRule = "Zero or a positive whole number of minor units, at most 1000000000000.";
    public const string FreeTextRule = "No control characters other than tab and line breaks.";

    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static readonly SearchValues<char> CustomerIdChars = SearchValues.Create(Alphanumerics + "._:@-");
    private static readonly SearchValues<char> OrderIdChars = SearchValues.Create(Alphanumerics + "._:@/#-");
    private static readonly SearchValues<char> CodeChars = SearchValues.Create(Alphanumerics + "-");

    public static bool IsCustomerId(string? value) => IsMadeOf(value, 64, CustomerIdChars);

    public static bool IsOrderId(string? value) => IsMadeOf(value, 64, OrderIdChars);

    /// <summary>A code as a caller may type it: surrounding spaces are ignored, case does not matter.</summary>
    public static bool IsCode(string? value) => value is not null && IsMadeOf(value.Trim(), 32, CodeChars);

    /// <summary>A code an admin chooses (EMILY10): as <see cref="IsCode"/>, and at least 3 characters.</summary>
    public static bool IsVanityCode(string? value) => value is not null && value.Trim().Length >= 3 && IsCode(value);

    public static bool IsCurrency(string? value) => value is { Length: 3 } && value.All(char.IsAsciiLetterUpper);

    /// <summary>Codes are case-insensitive on input: compare in upper case, ignore surrounding spaces.</summary>
    public static string NormalizeCode(string code) => code.Trim().ToUpperInvariant();

    /// <summary>Text a person wrote: control characters (NUL among them) other than tab and line breaks are refused.</summary>
    public static bool IsFreeText(string value) => !value.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r'));

    private static bool IsMadeOf(string? value, int maxLength, SearchValues<char> allowed) =>
        value is not null && value.Length >= 1 && value.Length <= maxLength && !value.AsSpan().ContainsAnyExcept(allowed);
}

// Validation attributes that apply the rules above to request records. Each derives from the attribute
// whose facet (pattern, length, range) the OpenAPI document shows, and validates with the shared rule.

/// <summary>Validates with one of the rules above; the pattern is what the OpenAPI document shows of it.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal abstract class InputRuleAttribute : RegularExpressionAttribute
{
    private readonly Func<string?, bool> rule;

    protected InputRuleAttribute(string pattern, string description, Func<string?, bool> rule) : base(pattern)
    {
        this.rule = rule;
        ErrorMessage = description;
    }

    public override bool IsValid(object? value) => value is null || rule(value as string);
}

internal sealed class CustomerIdAttribute() : InputRuleAttribute(Inputs.CustomerIdPattern, Inputs.CustomerIdRule, Inputs.IsCustomerId);

internal sealed class OrderIdAttribute() : InputRuleAttribute(Inputs.OrderIdPattern, Inputs.OrderIdRule, Inputs.IsOrderId);

internal sealed class CodeAttribute() : InputRuleAttribute(Inputs.CodePattern, Inputs.CodeRule, Inputs.IsCode);

internal sealed class VanityCodeAttribute() : InputRuleAttribute(Inputs.VanityCodePattern, Inputs.VanityCodeRule, Inputs.IsVanityCode);

/// <summary>Free text of 1 to <c>maximumLength</c> characters without control characters.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class FreeTextAttribute : StringLengthAttribute
{
    public FreeTextAttribute(int maximumLength) : base(maximumLength)
    {
        MinimumLength = 1;
        ErrorMessage = $"1-{maximumLength} characters. {Inputs.FreeTextRule}";
    }

    public override bool IsValid(object? value) => value is null || (base.IsValid(value) && Inputs.IsFreeText((string)value));
}

/// <summary>An amount in minor units from <c>minimum</c> to <see cref="Inputs.MaxAmount"/>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class AmountAttribute : RangeAttribute
{
    public AmountAttribute(long minimum = 1) : base(minimum, Inputs.MaxAmount) =>
        ErrorMessage = minimum == 0 ? Inputs.NonNegativeAmountRule : Inputs.AmountRule;
}
