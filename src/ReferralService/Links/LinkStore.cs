using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using ReferralService.Data;
using ReferralService.Infrastructure;

namespace ReferralService.Links;

/// <summary>A code's row for the redirect: its program, whether it can be used, and where each platform goes.</summary>
internal sealed record LinkTargetRow(
    Guid ProgramId, string CodeStatus, DateTime? CodeExpiresAt, string ProgramStatus, DateTime? ProgramStartsAt, DateTime? ProgramEndsAt,
    string? LandingUrl, string? IosAppStoreUrl, string? AndroidPackage)
{
    /// <summary>The code can be followed: it is active and not expired.</summary>
    public bool CodeUsable(DateTimeOffset now) => CodeStatus == "active" && (CodeExpiresAt is null || CodeExpiresAt.Value.AsUtc() > now.UtcDateTime);

    /// <summary>The program is running: active, started, not ended.</summary>
    public bool ProgramRunning(DateTimeOffset now) =>
        ProgramStatus == "active" && (ProgramStartsAt is null || ProgramStartsAt.Value.AsUtc() <= now.UtcDateTime)
        && (ProgramEndsAt is null || ProgramEndsAt.Value.AsUtc() > now.UtcDateTime);
}

// No row when the code does not exist.
[Procedure("get_link_target", ProcedureKind.Lookup)]
internal sealed record GetLinkTargetCall(string Code) : IProcedureCall<LinkTargetRow>;

// The clicks carry ids made here: a repeat adds none twice.
[Procedure("record_clicks", ProcedureKind.Write, RepeatSafe = true)]
internal sealed record RecordClicksCall(string Clicks) : IProcedureCall<int>;

internal sealed class LinkStore(Db db)
{
    public async Task<LinkTargetRow?> GetTargetAsync(string code, CancellationToken ct) =>
        (await db.QueryAsync(new GetLinkTargetCall(Code: code), ct).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>Writes clicks given as a JSON array (<see cref="Click"/> rows); answers how many were added.</summary>
    public Task<int> RecordClicksAsync(string clicksJson, CancellationToken ct) =>
        db.QuerySingleAsync(new RecordClicksCall(Clicks: clicksJson), ct);
}

/// <summary>
/// The redirect's code lookups, cached for Links:CodeCacheSeconds, unknown codes too (an enumeration attempt costs the
/// database one lookup per code and interval): the longest a disabled code keeps redirecting on an instance.
/// Concurrent misses of one code share one lookup. Bounded: at most 100,000 codes are held.
/// </summary>
internal sealed class LinkTargets(LinkStore store, IOptions<LinkOptions> options) : IDisposable
{
    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public async Task<LinkTargetRow?> FindAsync(string code, CancellationToken ct)
    {
        var seconds = options.Value.CodeCacheSeconds;
        if (seconds == 0)
        {
            return await store.GetTargetAsync(code, ct).ConfigureAwait(false);
        }
        if (!cache.TryGetValue(code, out Task<LinkTargetRow?>? lookup) || lookup is null)
        {
            // The lookup is not tied to this request: others may wait for it too.
            lookup = store.GetTargetAsync(code, CancellationToken.None);
            _ = cache.Set(code, lookup, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(seconds) });
        }
        try
        {
            return await lookup.WaitAsync(ct).ConfigureAwait(false);
        }
        catch when (lookup.IsFaulted)
        {
            // A failed lookup is not kept: the next request asks the database again.
            cache.Remove(code);
            throw;
        }
    }

    public void Dispose() => cache.Dispose();
}
