using System.Security.Cryptography;

namespace ReferralService.Codes;

internal static class CodeGenerator
{
    // No look-alikes (0/O, 1/I/L): 31 symbols, 10 of them give about 49.5 bits, so even with
    // millions of live codes a guess succeeds about once in 10^8 tries.
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    public const int Length = 10;

    public static string Next() => RandomNumberGenerator.GetString(Alphabet, Length);
}
