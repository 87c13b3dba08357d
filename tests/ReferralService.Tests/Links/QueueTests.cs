using System.Net;
using System.Net.Http.Json;
using ReferralService.Links;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Links;

internal sealed class QueueTests
{
    [Test]
    public async Task Clicks_still_queued_are_written_when_the_service_stops()
    {
        var code = await NewCodeAsync();
        ClickQueueResponse queued;
        await using (var service = ShareLinks.ServiceWith(("Links:ClickFlushMilliseconds", "600000"), ("Links:ClickBatchSize", "1000")))
        {
            using var visitor = service.Visitor(Agents.IosSafari, ShareLinks.NewAddress());
            for (var i = 0; i < 5; i++)
            {
                using var response = await visitor.GetAsync(new Uri($"/r/{code}", UriKind.Relative));
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
            }
            queued = await QueueOfAsync(service);
        }

        Assert.Multiple(async () =>
        {
            Assert.That(queued with { Capacity = 0 }, Is.EqualTo(new ClickQueueResponse(Queued: 5, 0, Written: 0, Dropped: 0, Failed: 0)));
            Assert.That(await ShareLinks.ClicksAsync(code), Has.Count.EqualTo(5));
        });
    }

    [Test]
    public async Task A_full_queue_drops_new_clicks_and_counts_them_while_every_visitor_is_still_redirected()
    {
        var code = await NewCodeAsync();
        ClickQueueResponse queue;
        var locations = new List<string>();
        await using (var service = ShareLinks.ServiceWith(
            ("Links:ClickQueueCapacity", "2"), ("Links:ClickFlushMilliseconds", "600000"), ("Links:ClickBatchSize", "1000")))
        {
            using var visitor = service.Visitor(Agents.DesktopChrome, ShareLinks.NewAddress());
            for (var i = 0; i < 5; i++)
            {
                using var response = await visitor.GetAsync(new Uri($"/r/{code}", UriKind.Relative));
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
                locations.Add(response.Headers.Location!.OriginalString);
            }
            queue = await QueueOfAsync(service);
        }

        var clicks = await ShareLinks.ClicksAsync(code);
        Assert.Multiple(() =>
        {
            Assert.That(queue, Is.EqualTo(new ClickQueueResponse(Queued: 2, Capacity: 2, Written: 0, Dropped: 3, Failed: 0)));
            Assert.That(clicks, Has.Count.EqualTo(2));
            Assert.That(locations.Take(2), Is.EqualTo(clicks.Select(c => $"https://shop.example.com/?ref={code}&click={c.Id}")));
            Assert.That(locations.Skip(2), Is.All.EqualTo($"https://shop.example.com/?ref={code}"), "a dropped click's id is not handed out");
        });
    }

    [Test]
    public async Task The_queue_counts_written_clicks_and_only_admins_may_read_it()
    {
        var code = await NewCodeAsync();
        using var visitor = LinkService.Instance.Visitor(Agents.AndroidChrome, ShareLinks.NewAddress());
        var before = await QueueOfAsync(LinkService.Instance);

        using (var response = await visitor.GetAsync(new Uri($"/r/{code}", UriKind.Relative)))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        }
        await ShareLinks.ClicksOnceWrittenAsync(code, 1);
        // The writer counts a batch right after its insert returns: a moment after the row can be read.
        var after = await QueueOfAsync(LinkService.Instance);
        for (var attempt = 0; attempt < 100 && after.Written == before.Written; attempt++)
        {
            await Task.Delay(50);
            after = await QueueOfAsync(LinkService.Instance);
        }
        using var merchant = LinkService.Instance.Client(Tokens.Merchant);
        using var anonymous = LinkService.Instance.Client(null);

        Assert.Multiple(async () =>
        {
            Assert.That(after.Written, Is.GreaterThan(before.Written));
            Assert.That((await merchant.GetAsync(new Uri("/v1/links/click-queue", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await anonymous.GetAsync(new Uri("/v1/links/click-queue", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }

    private static async Task<ClickQueueResponse> QueueOfAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> service)
    {
        using var admin = service.Client(Tokens.Admin);
        return (await admin.GetFromJsonAsync<ClickQueueResponse>(new Uri("/v1/links/click-queue", UriKind.Relative)))!;
    }

    private static async Task<string> NewCodeAsync() =>
        await Scenario.CodeForAsync(await Scenario.NewProgramAsync(), Api.NewCustomerId("owner"));
}

internal sealed class ClickMetricTests
{
    [Test]
    public async Task Written_clicks_are_counted_by_the_links_meter()
    {
        long written = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ReferralService.Links.ClickQueue.MeterName && instrument.Name == "referral.clicks.written")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref written, value));
        listener.Start();
        var code = await Scenario.CodeForAsync(await Scenario.NewProgramAsync(), Api.NewCustomerId("owner"));
        using var visitor = LinkService.Instance.Visitor(Agents.IosSafari, ShareLinks.NewAddress());

        using (var response = await visitor.GetAsync(new Uri($"/r/{code}", UriKind.Relative)))
        {
            Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Found));
        }
        await ShareLinks.ClicksOnceWrittenAsync(code, 1);
        // The writer counts a batch right after its insert returns: a moment after the row can be read.
        for (var attempt = 0; attempt < 100 && Interlocked.Read(ref written) == 0; attempt++)
        {
            await Task.Delay(50);
        }

        Assert.That(Interlocked.Read(ref written), Is.GreaterThanOrEqualTo(1));
    }
}
