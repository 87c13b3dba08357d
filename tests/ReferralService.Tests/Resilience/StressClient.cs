using System.Net;
using System.Text.Json;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Resilience;

/// <summary>
/// One client of the stress run: a random mix of redeem, qualify, reverse, spend, spend-reverse and
/// balance reads on a shared pool of customers. Every write carries an Idempotency-Key; some are sent
/// twice on purpose, and any 503 is retried (a write with the same key) until the answer is definitive.
/// </summary>
internal sealed class StressClient(HttpClient http, LedgerModel model, Random random, string[] codes, string[] customers, string runId)
{
    private int sequence;

    public int Requests { get; private set; }

    public int Unavailable { get; private set; }

    public async Task RunAsync(int operations, CancellationToken ct)
    {
        for (var i = 0; i < operations && !ct.IsCancellationRequested; i++)
        {
            var roll = random.Next(100);
            if (roll < 33)
            {
                await RedeemAsync(ct);
            }
            else if (roll < 56)
            {
                await QualifyAsync(ct);
            }
            else if (roll < 65)
            {
                await ReverseAsync(ct);
            }
            else if (roll < 83)
            {
                await SpendAsync(ct);
            }
            else if (roll < 92)
            {
                await ReverseSpendAsync(ct);
            }
            else
            {
                await ReadBalanceAsync(ct);
            }
        }
    }

    private async Task RedeemAsync(CancellationToken ct)
    {
        var friend = $"{runId}-f{Interlocked.Increment(ref sequence)}-{random.Next(1_000_000)}";
        var (status, body) = await SendAsync("/v1/redemptions", new { code = codes[random.Next(codes.Length)], customerId = friend }, ct);
        if (status == HttpStatusCode.Created)
        {
            model.Redeemed(body);
        }
        else
        {
            Expect(status, body, "referrer_cap_reached");
        }
    }

    private async Task QualifyAsync(CancellationToken ct)
    {
        var pending = model.RedemptionsIn("pending");
        if (pending.Length == 0)
        {
            return;
        }
        var id = pending[random.Next(pending.Length)];
        // A fresh order id per attempt: a second qualify of the same redemption must be refused, not replayed.
        var orderId = $"q{Interlocked.Increment(ref sequence)}-{random.Next(1_000_000)}";
        var (status, body) = await SendAsync($"/v1/redemptions/{id}/qualify", new { orderId, orderAmount = 5000 }, ct);
        if (status == HttpStatusCode.OK)
        {
            if (body.Str("status") == "rewarded")
            {
                model.Qualified(body);
            }
        }
        else
        {
            Expect(status, body, "invalid_state"); // another client reversed or qualified it first
        }
    }

    private async Task ReverseAsync(CancellationToken ct)
    {
        var candidates = model.RedemptionsIn(random.Next(2) == 0 ? "pending" : "rewarded");
        if (candidates.Length == 0)
        {
            return;
        }
        var id = candidates[random.Next(candidates.Length)];
        var (status, body) = await SendAsync($"/v1/redemptions/{id}/reverse", new { reason = "stress refund" }, ct);
        if (status == HttpStatusCode.OK)
        {
            model.Reversed(body);
        }
        else
        {
            Expect(status, body, "invalid_state");
        }
    }

    private async Task SpendAsync(CancellationToken ct)
    {
        var holders = model.Balances.Where(b => b.Value.Net > 0).Select(b => b.Key).ToArray();
        var customer = holders.Length > 0 && random.Next(4) > 0 ? holders[random.Next(holders.Length)] : customers[random.Next(customers.Length)];
        var amount = 1 + random.Next(400);
        var orderId = $"{runId}-s{Interlocked.Increment(ref sequence)}-{random.Next(1_000_000)}";
        var (status, body) = await SendAsync($"/v1/customers/{customer}/spends", new { amount, currency = "USD", orderId }, ct);
        if (status == HttpStatusCode.Created)
        {
            model.Spent(body);
        }
        else
        {
            Expect(status, body, "insufficient_credit", "currency_mismatch");
        }
    }

    private async Task ReverseSpendAsync(CancellationToken ct)
    {
        var open = model.OpenSpends();
        if (open.Length == 0)
        {
            return;
        }
        var id = open[random.Next(open.Length)];
        var (status, body) = await SendAsync($"/v1/spends/{id}/reverse", new { }, ct);
        if (status == HttpStatusCode.OK)
        {
            model.SpendReversed(body);
        }
        else
        {
            Expect(status, body, "invalid_state");
        }
    }

    /// <summary>A balance read (a lookup: PostgreSQL's multiplexed pool) answers 200 or, while the server is away, 503.</summary>
    private async Task ReadBalanceAsync(CancellationToken ct)
    {
        var customer = customers[random.Next(customers.Length)];
        var url = $"/v1/customers/{customer}/balance";
        var (status, text) = await UntilDefinitiveAsync(() => http.GetAsync(url, ct), url, ct);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
        var balance = JsonDocument.Parse(text).RootElement;
        Assert.That(balance.Str("customerId"), Is.EqualTo(customer), text);
        Assert.That(balance.GetProperty("balances").EnumerateArray().All(b => b.GetProperty("available").GetInt64() >= 0), text);
    }

    /// <summary>Sends until the answer is definitive; one request in five is sent a second time to check the replay.</summary>
    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(string url, object body, CancellationToken ct)
    {
        var key = $"{runId}-k{Interlocked.Increment(ref sequence)}-{random.Next(1_000_000)}";
        var (status, text) = await UntilDefinitiveAsync(() => http.PostAsync(url, body, key), url, ct);
        if (random.Next(5) == 0)
        {
            var (againStatus, againText) = await UntilDefinitiveAsync(() => http.PostAsync(url, body, key), url, ct);
            Assert.That((againStatus, againText), Is.EqualTo((status, text)), $"replay of {url} with key {key}");
        }
        return (status, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Sends again (a write with the same key) while the service answers 503; never a 5xx otherwise.</summary>
    private async Task<(HttpStatusCode, string)> UntilDefinitiveAsync(Func<Task<HttpResponseMessage>> send, string url, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Requests++;
            using var response = await send();
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                Assert.That((int)response.StatusCode, Is.LessThan(500), $"{url}: {text}");
                return (response.StatusCode, text);
            }
            Unavailable++;
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"{url} stayed unavailable: {text}");
            await Task.Delay(100 + random.Next(200), ct);
        }
    }

    private static void Expect(HttpStatusCode status, JsonElement body, params string[] codes)
    {
        Assert.That(status, Is.EqualTo(HttpStatusCode.UnprocessableEntity), body.ToString());
        Assert.That(codes, Does.Contain(body.Str("code")), body.ToString());
    }
}
