using System.Security.Cryptography;

namespace ReferralService.Tests.Support;

/// <summary>
/// Clicks written straight into the database, for tests that need clicks at chosen times, days and address hashes
/// (stats over days, redemptions of a known click); the redirect's own tests go through GET /r/{code}.
/// </summary>
internal static class Clicks
{
    /// <summary>A made-up address hash (32 bytes, as the service's HMAC).</summary>
    public static byte[] NewVisitor() => RandomNumberGenerator.GetBytes(32);

    public static async Task<Guid> InsertAsync(string code, Guid programId, DateTimeOffset clickedAt, byte[]? ipHash = null,
        string platform = "ios", string? osVersion = null)
    {
        var id = Guid.CreateVersion7(clickedAt);
        await TestRun.Database.ExecuteAsync(
            "INSERT INTO clicks (id, code, program_id, clicked_at, ip_hash, platform, os_version) VALUES (@id, @code, @programId, @clickedAt, @ipHash, @platform, @osVersion)",
            "INSERT INTO dbo.clicks (id, code, program_id, clicked_at, ip_hash, platform, os_version) VALUES (@id, @code, @programId, @clickedAt, @ipHash, @platform, @osVersion)",
            new { id, code, programId, clickedAt = clickedAt.ToUniversalTime(), ipHash = ipHash ?? NewVisitor(), platform, osVersion });
        return id;
    }
}
