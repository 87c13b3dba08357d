using System.Numerics;
using System.Security.Cryptography;
using ReferralService.Codes;

namespace ReferralService.Batches;

/// <summary>
/// A batch's code pattern: '#' is one symbol of the service alphabet (<see cref="CodeGenerator.Alphabet"/>, 31 symbols
/// without look-alikes), every other character is literal (letters, digits, '-'); 3-32 characters, upper case.
/// </summary>
internal sealed class BatchPattern
{
    public const int MinLength = 3;
    public const int MaxLength = 32;

    /// <summary>A pattern must hold at least this many possible codes per code asked for: a guess then hits a live code with chance under 1 in 1,000.</summary>
    public const int SpacePerCode = 1000;

    public const string Rule = "3-32 letters, digits, hyphens or '#' (one random symbol each).";
    public const string PrefixRule = "Up to 31 letters, digits or hyphens.";

    private static readonly double BitsPerSymbol = Math.Log2(CodeGenerator.Alphabet.Length);

    private readonly string template;
    private readonly int[] positions;

    private BatchPattern(string pattern)
    {
        Text = pattern;
        template = pattern;
        positions = [.. pattern.Select((c, i) => (c, i)).Where(x => x.c == '#').Select(x => x.i)];
    }

    /// <summary>The pattern as stored: upper case.</summary>
    public string Text { get; }

    /// <summary>How many symbols are drawn at random.</summary>
    public int RandomSymbols => positions.Length;

    /// <summary>log2(31^k), to one decimal.</summary>
    public double Bits => Math.Round(RandomSymbols * BitsPerSymbol, 1);

    public BigInteger Space => BigInteger.Pow(CodeGenerator.Alphabet.Length, RandomSymbols);

    /// <summary>Whether the pattern's space is large enough for <paramref name="count"/> codes.</summary>
    public bool Fits(int count) => Space >= (BigInteger)SpacePerCode * count;

    /// <summary>Bits of randomness of a stored pattern (the response states them).</summary>
    public static double BitsOf(string pattern) => Math.Round(pattern.Count(c => c == '#') * BitsPerSymbol, 1);

    public static bool IsPattern(string? value) =>
        value is { Length: >= MinLength and <= MaxLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '#');

    public static bool IsPrefix(string? value) =>
        value is { Length: <= MaxLength - 1 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>A pattern from its text (checked with <see cref="IsPattern"/>), upper-cased.</summary>
    public static BatchPattern Of(string pattern) => new(pattern.ToUpperInvariant());

    /// <summary>The prefix/length form: the prefix, then <paramref name="length"/> random symbols.</summary>
    public static BatchPattern Of(string? prefix, int length) => new((prefix ?? "").ToUpperInvariant() + new string('#', length));

    /// <summary>One code drawn at random (RandomNumberGenerator) from the pattern.</summary>
    public string Next() => string.Create(template.Length, this, static (code, pattern) =>
    {
        pattern.template.CopyTo(code);
        Span<char> drawn = stackalloc char[pattern.positions.Length];
        RandomNumberGenerator.GetItems(CodeGenerator.Alphabet, drawn);
        for (var i = 0; i < drawn.Length; i++)
        {
            code[pattern.positions[i]] = drawn[i];
        }
    });
}

/// <summary>
/// Draws chunks of distinct codes for one batch, reusing its set and array from chunk to chunk (both would be
/// large-object-heap allocations at 10,000 codes, freed only by full collections): a worker's memory is one chunk,
/// whatever the batch's size. The array it answers is valid until the next draw.
/// </summary>
internal sealed class CodeDrawer(BatchPattern pattern, int chunkSize)
{
    private readonly HashSet<string> drawn = new(chunkSize, StringComparer.Ordinal);
    private string[] chunk = [];

    public string[] Draw(int count)
    {
        drawn.Clear();
        while (drawn.Count < count)
        {
            drawn.Add(pattern.Next());
        }
        if (chunk.Length != count)
        {
            chunk = new string[count];
        }
        drawn.CopyTo(chunk);
        return chunk;
    }
}
