using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace ReferralService.Links;

/// <summary>A click as the clicks table stores it (JSON property names are its column names).</summary>
internal sealed record Click(
    Guid Id, string Code, Guid ProgramId, DateTimeOffset ClickedAt, byte[] IpHash, string Platform, string? OsVersion, string? Browser,
    string? RefererHost, string? UtmSource, string? UtmMedium, string? UtmCampaign, string? UtmTerm, string? UtmContent);

/// <summary>The click queue's counters since the instance started, and what waits in it now.</summary>
internal sealed record ClickQueueResponse(int Queued, int Capacity, long Written, long Dropped, long Failed);

/// <summary>
/// Clicks on their way to the database, off the request path: a bounded channel that the redirect writes to without
/// ever waiting (a full queue drops the click and counts it) and <see cref="ClickWriter"/> empties in batches.
/// Its counters are System.Diagnostics.Metrics instruments (meter "ReferralService.Links") and GET /v1/links/click-queue.
/// </summary>
internal sealed class ClickQueue
{
    public const string MeterName = "ReferralService.Links";

    private readonly Channel<Click> channel;
    private readonly Counter<long> writtenCounter;
    private readonly Counter<long> droppedCounter;
    private readonly Counter<long> failedCounter;
    private long written;
    private long dropped;
    private long failed;
    private volatile bool closed;

    public ClickQueue(IOptions<LinkOptions> options, IMeterFactory meters)
    {
        Capacity = options.Value.ClickQueueCapacity;
        channel = Channel.CreateBounded<Click>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite only: a full queue answers false at once
            SingleReader = true,
            SingleWriter = false,
        });
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("referral.clicks.queued", () => channel.Reader.Count, "{click}", "Clicks waiting to be written.");
        writtenCounter = meter.CreateCounter<long>("referral.clicks.written", "{click}", "Clicks written to the database.");
        droppedCounter = meter.CreateCounter<long>("referral.clicks.dropped", "{click}", "Clicks dropped because the queue was full.");
        failedCounter = meter.CreateCounter<long>("referral.clicks.failed", "{click}", "Clicks lost because their batch could not be written.");
    }

    public int Capacity { get; }

    public ChannelReader<Click> Reader => channel.Reader;

    /// <summary>Queues a click, or drops it (and counts it) when the queue is full or closed: never waits.</summary>
    public bool TryEnqueue(Click click)
    {
        if (channel.Writer.TryWrite(click))
        {
            return true;
        }
        Interlocked.Increment(ref dropped);
        droppedCounter.Add(1);
        return false;
    }

    /// <summary>No more clicks: the writer writes what is queued and stops.</summary>
    public void Complete()
    {
        closed = true;
        channel.Writer.TryComplete();
    }

    public bool IsClosed => closed;

    public void CountWritten(int count)
    {
        Interlocked.Add(ref written, count);
        writtenCounter.Add(count);
    }

    public void CountFailed(int count)
    {
        Interlocked.Add(ref failed, count);
        failedCounter.Add(count);
    }

    public ClickQueueResponse Snapshot() =>
        new(channel.Reader.Count, Capacity, Interlocked.Read(ref written), Interlocked.Read(ref dropped), Interlocked.Read(ref failed));
}

/// <summary>
/// Writes queued clicks in batches of up to Links:ClickBatchSize, waiting up to Links:ClickFlushMilliseconds for a
/// batch to fill, each batch one set-based insert (record_clicks). A batch that fails after the retry pipeline's
/// attempts is logged and counted as failed; the writer carries on. On shutdown it writes everything queued.
/// </summary>
internal sealed partial class ClickWriter(ClickQueue queue, LinkStore store, IOptions<LinkOptions> options, ILogger<ClickWriter> logger)
    : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The web server has stopped taking requests by now (it stops before the hosted services registered ahead of
        // it): close the queue, and the writer ends once it has written the rest.
        queue.Complete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batchSize = options.Value.ClickBatchSize;
        var flush = TimeSpan.FromMilliseconds(options.Value.ClickFlushMilliseconds);
        var reader = queue.Reader;
        var batch = new List<Click>(batchSize);
        // Not stoppingToken: the loop ends when the queue is closed and empty, so that a shutdown loses nothing.
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            await WaitForBatchAsync(batchSize, flush).ConfigureAwait(false);
            while (batch.Count < batchSize && reader.TryRead(out var click))
            {
                batch.Add(click);
            }
            await WriteAsync(batch).ConfigureAwait(false);
            batch.Clear();
        }
    }

    /// <summary>
    /// Lets a batch gather in the queue itself (not in a list here): until a whole batch is queued, the flush interval
    /// has passed since the first click, or the queue is closed. The queue's capacity is then the bound on the clicks
    /// held in memory, and a queue that fills while the database is slow drops new clicks instead of growing.
    /// Checked every few milliseconds: cheaper than a signal from every redirect.
    /// </summary>
    private async Task WaitForBatchAsync(int batchSize, TimeSpan flush)
    {
        var deadline = Environment.TickCount64 + (long)flush.TotalMilliseconds;
        while (queue.Reader.Count < batchSize && !queue.IsClosed && Environment.TickCount64 < deadline)
        {
            await Task.Delay(PollInterval).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(List<Click> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            var added = await store.RecordClicksAsync(JsonSerializer.Serialize(batch, Json), CancellationToken.None).ConfigureAwait(false);
            queue.CountWritten(added);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            queue.CountFailed(batch.Count);
            LogBatchFailed(ex, batch.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} clicks could not be written and is lost.")]
    private partial void LogBatchFailed(Exception exception, int count);
}
