using ReferralService.Data;
using ReferralService.Infrastructure;

namespace ReferralService.Jobs;

// Each job procedure does what is due at @now, up to a batch, in one transaction, and claims its items with
// SKIP LOCKED / READPAST and re-checks them under the lock: a repeat only finds the next items (or none), so a call
// may be sent again (RepeatSafe). A repeat after a lost answer loses that call's count, never does an item twice.
[Procedure("post_held_rewards", ProcedureKind.Write, RepeatSafe = true)]
internal sealed record PostHeldRewardsCall(DateTimeOffset Now, int BatchSize) : IProcedureCall<JobRow>;

[Procedure("expire_redemptions", ProcedureKind.Write, RepeatSafe = true)]
internal sealed record ExpireRedemptionsCall(DateTimeOffset Now, int BatchSize) : IProcedureCall<JobRow>;

[Procedure("expire_credit_lots", ProcedureKind.Write, RepeatSafe = true)]
internal sealed record ExpireCreditLotsCall(DateTimeOffset Now, int BatchSize) : IProcedureCall<JobRow>;

// Deletes keys older than a moment: a repeat deletes nothing more.
[Procedure("purge_idempotency_keys", ProcedureKind.Write, RepeatSafe = true)]
internal sealed record PurgeIdempotencyKeysCall(DateTimeOffset Before, int BatchSize) : IProcedureCall<int>;

/// <summary>What one call of a job did (job_row): items done, and the due time of the oldest item still due, if any.</summary>
internal sealed record JobRow(int Done, DateTime? OldestDue);

internal sealed class JobStore(Db db)
{
    public Task<JobRow> PostHeldRewardsAsync(DateTimeOffset now, int batchSize, CancellationToken ct) =>
        CallAsync(new PostHeldRewardsCall(Now: now, BatchSize: batchSize), ct);

    public Task<JobRow> ExpireRedemptionsAsync(DateTimeOffset now, int batchSize, CancellationToken ct) =>
        CallAsync(new ExpireRedemptionsCall(Now: now, BatchSize: batchSize), ct);

    public Task<JobRow> ExpireCreditLotsAsync(DateTimeOffset now, int batchSize, CancellationToken ct) =>
        CallAsync(new ExpireCreditLotsCall(Now: now, BatchSize: batchSize), ct);

    /// <summary>Deletes up to a batch of keys written before <paramref name="before"/>; answers how many (no due time: keys are not owed work).</summary>
    public async Task<JobRow> PurgeIdempotencyKeysAsync(DateTimeOffset before, int batchSize, CancellationToken ct) =>
        new(await db.QuerySingleAsync(new PurgeIdempotencyKeysCall(Before: before, BatchSize: batchSize), ct).ConfigureAwait(false), null);

    private async Task<JobRow> CallAsync(IProcedureCall<JobRow> call, CancellationToken ct)
    {
        var row = await db.QuerySingleAsync(call, ct).ConfigureAwait(false);
        return row with { OldestDue = row.OldestDue?.AsUtc() };
    }
}
