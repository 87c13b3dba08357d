using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ReferralService.Infrastructure;
using ReferralService.Jobs;

namespace ReferralService.Batches;

/// <summary>Batch ids to start on now, from this instance's POSTs. Full or lost, nothing is missed: the scan finds every unfinished batch.</summary>
internal sealed class BatchQueue
{
    private readonly Channel<Guid> channel = Channel.CreateBounded<Guid>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Enqueue(Guid batchId) => channel.Writer.TryWrite(batchId);

    public ChannelReader<Guid> Reader => channel.Reader;
}

/// <summary>
/// Generates batches in the background, one at a time per instance: a batch posted here at once, and at start-up and
/// every scan interval any unfinished batch free to take (pending, or left by a worker that stopped or crashed). A
/// batch is claimed with a lease (claim_code_batch: SKIP LOCKED / READPAST), renewed by every chunk, so two instances
/// never work one batch at once; each chunk (drawn codes inserted, generated counted) is one transaction, so a batch
/// resumes where it stopped. Memory is one chunk, whatever the batch's size. Off with the job runner (Jobs:Enabled=false).
/// </summary>
internal sealed partial class BatchGenerator(
    BatchStore store, BatchQueue queue, IOptions<BatchOptions> options, IOptions<JobOptions> jobs, ILogger<BatchGenerator> logger)
    : BackgroundService
{
    /// <summary>Chunks in a row that add no code before a batch fails: the pattern's space is as good as full.</summary>
    private const int MaxFruitlessChunks = 20;

    private readonly Guid worker = Guid.NewGuid();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!jobs.Value.Enabled)
        {
            return; // another instance (or deployment) runs the jobs: it finds this instance's batches by its scan
        }
        Guid? next = null; // null: scan for any unfinished batch
        try
        {
            while (true)
            {
                try
                {
                    await RunAsync(next, stoppingToken);
                    next = await NextAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Never let a fault stop the host: log it and scan again soon (a batch this worker holds is
                    // claimed back at once, claim_code_batch lets a worker take its own batch again).
                    LogFailed(ex);
                    await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
                    next = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; a batch in hand was released.
        }
    }

    /// <summary>The next batch id posted here, or null when the scan interval passes first.</summary>
    private async Task<Guid?> NextAsync(CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(TimeSpan.FromSeconds(options.Value.ScanIntervalSeconds));
        try
        {
            return await queue.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task RunAsync(Guid? batchId, CancellationToken ct)
    {
        var lease = options.Value.LeaseSeconds;
        while (await store.ClaimAsync(batchId, worker, lease, ct) is { Status: Outcomes.Ok, Row: { } batch })
        {
            await GenerateAsync(batch, ct);
            if (batchId is not null)
            {
                return;
            }
        }
    }

    private async Task GenerateAsync(CodeBatchRow batch, CancellationToken ct)
    {
        var settings = options.Value;
        var drawer = new CodeDrawer(BatchPattern.Of(batch.Pattern), settings.ChunkSize);
        var generated = batch.Generated;
        var chunks = 0;
        var fruitless = 0;
        try
        {
            while (generated < batch.CodeCount)
            {
                var codes = drawer.Draw(Math.Min(settings.ChunkSize, batch.CodeCount - generated));
                var outcome = await store.AddCodesAsync(batch.Id, worker, settings.LeaseSeconds, codes, ct);
                if (outcome is not { Status: Outcomes.Ok, Row: { } after })
                {
                    LogLost(batch.Id);
                    return;
                }
                fruitless = after.Generated == generated ? fruitless + 1 : 0;
                generated = after.Generated;
                if (fruitless == MaxFruitlessChunks && generated < batch.CodeCount)
                {
                    await store.ReleaseAsync(batch.Id, worker, $"{MaxFruitlessChunks} chunks in a row drew only codes that exist: the pattern's space is full.", ct);
                    return;
                }
                if (++chunks == settings.PauseAfterChunks && generated < batch.CodeCount)
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: give the batch back, so another instance resumes it without waiting for the lease to run out.
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await store.ReleaseAsync(batch.Id, worker, failureReason: null, timeout.Token);
            }
            catch (Exception ex) when (ex is DbException or TimeoutException or OperationCanceledException)
            {
                LogNotReleased(batch.Id, ex); // it resumes when its lease runs out
            }
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Code batch generation failed; it is tried again in a few seconds")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Code batch {BatchId} could not be given back at shutdown; another instance resumes it when its lease runs out")]
    private partial void LogNotReleased(Guid batchId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Code batch {BatchId} is no longer held by this instance (its lease ran out); left to its new worker")]
    private partial void LogLost(Guid batchId);
}
