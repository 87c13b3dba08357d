using System.Text;
using Microsoft.Extensions.Options;

namespace ReferralService.Codes;

/// <summary>
/// Words a vanity code may not contain (Codes:DenyListPath, one word per line, # comments). A code is compared as
/// a customer would read it: upper case, hyphens removed, and the digits that pass for letters read as those
/// letters (0 O, 1 I, 3 E, 4 A, 5 S, 7 T), so F-R-3-3 is FREE. Read once (start-up checks that the file exists).
/// </summary>
internal sealed class DenyList(IOptions<CodeOptions> options)
{
    private readonly string[] words = [.. File.ReadLines(PathOf(options.Value.DenyListPath))
            .Select(line => line.Split('#', 2)[0].Trim())
            .Where(word => word.Length > 0)
            .Select(Readable)
            .Where(word => word.Length > 0)
            .Distinct()];

    /// <summary>The file a configured path names: as given when rooted, else next to the service's binaries.</summary>
    public static string PathOf(string configured) =>
        Path.IsPathRooted(configured) ? configured : Path.Combine(AppContext.BaseDirectory, configured);

    public bool Allows(string code)
    {
        var readable = Readable(code);
        return !words.Any(word => readable.Contains(word, StringComparison.Ordinal));
    }

    /// <summary>The code as read: upper case, no hyphens, look-alike digits as their letters.</summary>
    public static string Readable(string code)
    {
        var text = new StringBuilder(code.Length);
        foreach (var c in code.ToUpperInvariant())
        {
            text.Append(c switch
            {
                '-' or ' ' => '\0',
                '0' => 'O',
                '1' => 'I',
                '3' => 'E',
                '4' => 'A',
                '5' => 'S',
                '7' => 'T',
                _ => c,
            });
        }
        return text.Replace("\0", "").ToString();
    }
}
