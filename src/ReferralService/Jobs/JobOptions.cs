using System.ComponentModel.DataAnnotations;

namespace ReferralService.Jobs;

/// <summary>The job runner's settings (section <c>Jobs</c>).</summary>
internal sealed class JobOptions
{
    /// <summary>
    /// Whether this instance runs due work on its own schedule (and resumes code batches). Off for deployments that run
    /// jobs elsewhere; <c>POST /v1/jobs/run</c> still runs a pass when an admin asks.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between passes over held rewards, stale redemptions and expiring lots.</summary>
    [Range(1, 86_400)]
    public int IntervalSeconds { get; set; } = 30;

    /// <summary>Items per call, each call one transaction: short row locks, short WAL bursts.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;
}

/// <summary>Idempotency keys (section <c>Idempotency</c>); the runner purges them on their own interval.</summary>
internal sealed class IdempotencyOptions
{
    /// <summary>How long a key replays its first answer (DESIGN §4: 24 h).</summary>
    [Range(1, 8760)]
    public int RetentionHours { get; set; } = 24;

    [Range(1, 86_400)]
    public int PurgeIntervalSeconds { get; set; } = 600;

    /// <summary>Keys deleted per transaction: small batches keep row locks and WAL bursts short.</summary>
    [Range(1, 100_000)]
    public int PurgeBatchSize { get; set; } = 1000;
}
