using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ReferralService.Jobs;

/// <summary>The kinds of due work the runner does, by the name of the procedure that does it.</summary>
internal static class JobKinds
{
    public const string PostHeldRewards = "post_held_rewards";
    public const string ExpireRedemptions = "expire_redemptions";
    public const string ExpireCreditLots = "expire_credit_lots";
    public const string PurgeIdempotencyKeys = "purge_idempotency_keys";

    /// <summary>Work owed at a due time, run every Jobs:IntervalSeconds. Holds post before lots expire, so a reward that
    /// posts and expires in one pass still makes its lot first.</summary>
    public static readonly IReadOnlyList<string> Ledger = [PostHeldRewards, ExpireRedemptions, ExpireCreditLots];

    /// <summary>Housekeeping, run every Idempotency:PurgeIntervalSeconds.</summary>
    public static readonly IReadOnlyList<string> Housekeeping = [PurgeIdempotencyKeys];

    public static readonly IReadOnlyList<string> All = [.. Ledger, .. Housekeeping];
}

/// <summary>
/// What one kind of work did in one pass: items done over its calls, the due time of the oldest item still due after
/// it and the lag (now - that time; 0 when nothing is due; null for keys, which are not owed at a time), and the error
/// that stopped it, if one did.
/// </summary>
internal sealed record JobKindRun(
    string Kind, int Done, int Calls, DateTimeOffset? OldestDue, double? LagSeconds, DateTimeOffset StartedAt, DateTimeOffset FinishedAt,
    string? Error);

/// <summary>The last run of each kind on this instance, for /health/ready.</summary>
internal sealed class JobStatus
{
    private readonly ConcurrentDictionary<string, JobKindRun> latest = new(StringComparer.Ordinal);

    public void Record(JobKindRun run) => latest[run.Kind] = run;

    public IReadOnlyList<JobKindRun> Latest =>
        [.. JobKinds.All.Select(kind => latest.GetValueOrDefault(kind)).OfType<JobKindRun>()];
}

/// <summary>
/// Runs due work in small batches: held rewards whose hold ended, redemptions past their deadline, expiring lots (every
/// Jobs:IntervalSeconds) and aged idempotency keys (every Idempotency:PurgeIntervalSeconds); at start-up first, so an
/// instance started on a shifted clock does what is due at once. Each kind is called until a call does less than a
/// batch and leaves nothing due, or does nothing. Each call is one transaction that claims its items with SKIP LOCKED /
/// READPAST, so several instances share the work and none does an item twice, and a crash mid-call leaves nothing
/// half-done (the next pass does it). A failing kind is logged and the others carry on. One pass at a time on an
/// instance (the schedule and POST /v1/jobs/run wait for each other).
/// </summary>
internal sealed partial class JobRunner(
    JobStore store, JobStatus status, IOptions<JobOptions> jobs, IOptions<IdempotencyOptions> idempotency, TimeProvider time,
    ILogger<JobRunner> logger) : BackgroundService
{
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Runs every kind now, whatever the schedule (POST /v1/jobs/run); waits for a pass in progress first.</summary>
    public Task<IReadOnlyList<JobKindRun>> RunPassAsync(CancellationToken ct) => RunAsync(JobKinds.All, ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!jobs.Value.Enabled)
        {
            LogDisabled();
            return;
        }
        await Task.WhenAll(
            ScheduleAsync(JobKinds.Ledger, TimeSpan.FromSeconds(jobs.Value.IntervalSeconds), stoppingToken),
            ScheduleAsync(JobKinds.Housekeeping, TimeSpan.FromSeconds(idempotency.Value.PurgeIntervalSeconds), stoppingToken))
            .ConfigureAwait(false);
    }

    public override void Dispose()
    {
        gate.Dispose();
        base.Dispose();
    }

    private async Task ScheduleAsync(IReadOnlyList<string> kinds, TimeSpan interval, CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(interval, time);
            do
            {
                await RunAsync(kinds, ct).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the call in flight was rolled back or committed whole.
        }
    }

    private async Task<IReadOnlyList<JobKindRun>> RunAsync(IReadOnlyList<string> kinds, CancellationToken ct)
    {
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var runs = new List<JobKindRun>(kinds.Count);
            foreach (var kind in kinds)
            {
                var run = await RunKindAsync(kind, ct).ConfigureAwait(false);
                status.Record(run);
                runs.Add(run);
            }
            return runs;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<JobKindRun> RunKindAsync(string kind, CancellationToken ct)
    {
        var batchSize = kind == JobKinds.PurgeIdempotencyKeys ? idempotency.Value.PurgeBatchSize : jobs.Value.BatchSize;
        var started = time.GetUtcNow();
        var done = 0;
        var calls = 0;
        try
        {
            JobRow row;
            DateTimeOffset now;
            do
            {
                now = time.GetUtcNow();
                row = await CallAsync(kind, now, batchSize, ct).ConfigureAwait(false);
                done += row.Done;
                calls++;
            }
            // A short call ends the kind only when nothing is left due: beside another runner a call can come back
            // short while much is due (it claimed items the other had just done, which count nothing), and stopping
            // then would leave the rest to one runner. A call that does nothing ends it whatever is due (what is left
            // is held by others, and they do it).
            while (row.Done >= batchSize || (row.Done > 0 && row.OldestDue is not null));

            DateTimeOffset? oldestDue = row.OldestDue is { } due ? new DateTimeOffset(due, TimeSpan.Zero) : null;
            double? lag = kind == JobKinds.PurgeIdempotencyKeys ? null
                : oldestDue is { } o ? Math.Max(0, (now - o).TotalSeconds) : 0;
            if (done > 0 || lag > 0)
            {
                LogRan(kind, done, calls, lag);
            }
            return new JobKindRun(kind, done, calls, oldestDue, lag, started, time.GetUtcNow(), Error: null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // One kind failing (a procedure not deployed, a database fault) must not stop the others: what it did
            // before the failure is committed, the failed call rolled back, and the next pass tries again.
            LogFailed(kind, done, ex);
            return new JobKindRun(kind, done, calls, null, null, started, time.GetUtcNow(), $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private Task<JobRow> CallAsync(string kind, DateTimeOffset now, int batchSize, CancellationToken ct) => kind switch
    {
        JobKinds.PostHeldRewards => store.PostHeldRewardsAsync(now, batchSize, ct),
        JobKinds.ExpireRedemptions => store.ExpireRedemptionsAsync(now, batchSize, ct),
        JobKinds.ExpireCreditLots => store.ExpireCreditLotsAsync(now, batchSize, ct),
        // Key retention is real elapsed time (the database stamps keys with its own clock): on the machine's clock, so
        // a staging instance running with Clock:Offset does not forget the keys it has just stored.
        JobKinds.PurgeIdempotencyKeys => store.PurgeIdempotencyKeysAsync(
            TimeProvider.System.GetUtcNow() - TimeSpan.FromHours(idempotency.Value.RetentionHours), batchSize, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown job kind."),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Jobs are disabled on this instance (Jobs:Enabled=false); POST /v1/jobs/run still runs a pass")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Kind}: {Done} done in {Calls} calls; lag {LagSeconds} s")]
    private partial void LogRan(string kind, int done, int calls, double? lagSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Kind} failed after {Done} done; the other kinds carry on and it runs again next pass")]
    private partial void LogFailed(string kind, int done, Exception exception);
}
