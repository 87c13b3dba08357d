using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReferralService.Data;

namespace ReferralService.Infrastructure;

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

// Deletes keys older than a moment: a repeat deletes nothing more.
[Procedure("purge_idempotency_keys", ProcedureKind.Write, RepeatSafe = true)]
internal sealed record PurgeIdempotencyKeysCall(DateTimeOffset Before, int BatchSize) : IProcedureCall<int>;

/// <summary>
/// Forgets idempotency keys older than the retention, in batches, every purge interval. Several
/// instances may run it at once: each batch is one short delete, and deleting a key twice is harmless.
/// </summary>
internal sealed partial class IdempotencyKeyPurge(
    Db db, IOptions<IdempotencyOptions> options, TimeProvider time, ILogger<IdempotencyKeyPurge> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.PurgeIntervalSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var before = time.GetUtcNow() - TimeSpan.FromHours(settings.RetentionHours);
                var total = 0;
                int purged;
                do
                {
                    purged = await db.QuerySingleAsync(new PurgeIdempotencyKeysCall(Before: before, BatchSize: settings.PurgeBatchSize),
                        stoppingToken).ConfigureAwait(false);
                    total += purged;
                }
                while (purged == settings.PurgeBatchSize);
                if (total > 0)
                {
                    LogPurged(total, before);
                }
            }
            catch (Exception ex) when (ex is DbException or TimeoutException)
            {
                LogFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} idempotency keys written before {Before:O}")]
    private partial void LogPurged(int count, DateTimeOffset before);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency key purge failed; it runs again at the next interval")]
    private partial void LogFailed(Exception exception);
}

internal static class IdempotencyKeyPurgeSetup
{
    public static IServiceCollection AddIdempotencyKeyPurge(this IServiceCollection services)
    {
        services.AddOptions<IdempotencyOptions>().BindConfiguration("Idempotency").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<IdempotencyKeyPurge>();
        return services;
    }
}
