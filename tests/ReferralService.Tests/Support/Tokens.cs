using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ReferralService.Tests.Support;

/// <summary>Real HS256 tokens signed with the key the service under test is configured with.</summary>
internal static class Tokens
{
    public const string Issuer = "referral-tests";
    public const string Audience = "referral-service";

    public static byte[] Key { get; } = RandomNumberGenerator.GetBytes(32);

    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>A token for the role; a null subject leaves the <c>sub</c> claim out.</summary>
    public static string For(string role, string? subject, string? issuer = null, byte[]? key = null, DateTime? expires = null)
    {
        Claim[] claims = subject is null ? [new Claim("role", role)] : [new Claim("sub", subject), new Claim("role", role)];
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            IssuedAt = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? Key), SecurityAlgorithms.HmacSha256),
        };
        return Handler.CreateToken(descriptor);
    }

    public static string Admin => For("admin", "test-admin");
    public static string Merchant => For("merchant", "test-merchant");
    public static string Finance => For("finance", "test-finance");

    public static string Customer(string customerId) => For("customer", customerId);
}
