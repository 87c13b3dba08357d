using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ReferralService.Data;

namespace ReferralService.Links;

/// <summary>A UTC day's salt for visitor hashes (one row).</summary>
internal sealed record ClickSalt(byte[] Salt);

// Get-or-create of a day's salt: a repeat answers the stored salt.
[Procedure("get_click_salt", ProcedureKind.Write, RepeatSafe = true)]
internal sealed record GetClickSaltCall(DateOnly Day, byte[] Candidate, DateOnly KeepFrom) : IProcedureCall<ClickSalt>;

/// <summary>
/// Hashes of visitors' addresses, so that no raw IP address is ever stored: HMAC-SHA256 of the address keyed by a
/// random salt per UTC day, shared by every instance through the database. The same visitor has the same hash all
/// day (unique visitors per day; a fingerprint claim); hashes of different days cannot be linked, and once a day's
/// salt is deleted (after the claim window has passed it) its hashes cannot be tied to an address at all.
/// An IPv6 address is hashed by its /64 prefix: a phone's privacy addresses change within the prefix.
/// </summary>
internal sealed class VisitorHashes(Db db, IOptions<LinkOptions> options)
{
    private readonly ConcurrentDictionary<DateOnly, Lazy<Task<byte[]>>> salts = new();

    public async ValueTask<byte[]> HashAsync(IPAddress address, DateOnly day, CancellationToken ct)
    {
        var salt = await SaltAsync(day, ct).ConfigureAwait(false);
        return HMACSHA256.HashData(salt, AddressBytes(address));
    }

    /// <summary>The hashes an address had on the days a claim window ending now can reach back to (today first).</summary>
    public async ValueTask<byte[][]> HashesWithinClaimWindowAsync(IPAddress address, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var earliest = DateOnly.FromDateTime(now.UtcDateTime.AddMinutes(-options.Value.ClaimWindowMinutes));
        return earliest == today
            ? [await HashAsync(address, today, ct).ConfigureAwait(false)]
            : [await HashAsync(address, today, ct).ConfigureAwait(false), await HashAsync(address, earliest, ct).ConfigureAwait(false)];
    }

    private async Task<byte[]> SaltAsync(DateOnly day, CancellationToken ct)
    {
        var lazy = salts.GetOrAdd(day, d => new Lazy<Task<byte[]>>(() => FetchAsync(d)));
        try
        {
            return await lazy.Value.WaitAsync(ct).ConfigureAwait(false);
        }
        catch when (lazy.Value.IsFaulted || lazy.Value.IsCanceled)
        {
            // A failed fetch is not kept: the next caller asks the database again.
            salts.TryRemove(new KeyValuePair<DateOnly, Lazy<Task<byte[]>>>(day, lazy));
            throw;
        }
    }

    private async Task<byte[]> FetchAsync(DateOnly day)
    {
        // Salts are kept while a claim window can still reach their day (the claim window is at most a day).
        var keepFrom = day.AddDays(-1);
        var row = await db.QuerySingleAsync(new GetClickSaltCall(day, RandomNumberGenerator.GetBytes(32), keepFrom), CancellationToken.None)
            .ConfigureAwait(false);
        foreach (var old in salts.Keys.Where(d => d < keepFrom))
        {
            salts.TryRemove(old, out _);
        }
        return row.Salt;
    }

    /// <summary>An IPv4 address (also when mapped into IPv6) as its 4 bytes; an IPv6 address as its /64 prefix.</summary>
    internal static byte[] AddressBytes(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        var bytes = address.GetAddressBytes();
        return address.AddressFamily == AddressFamily.InterNetworkV6 ? bytes[..8] : bytes;
    }
}
