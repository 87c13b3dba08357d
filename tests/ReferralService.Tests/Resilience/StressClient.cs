using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Resilience;

/// <summary>
/// One client of the stress run: a random mix of redeem, qualify, reverse, spend, spend-reverse and
/// balance reads on a shared pool of customers. Every write carries an Idempotency-Key; some are sent
/// twice on purpose, and any 503 is retried (a write with the same key) until the answer is definitive.
/// </summary>
internal sealed class StressClient(Caller merchant, LedgerModel model, Random random, string[] codes, string[] customers, string runId)
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
        var code = codes[random.Next(codes.Length)];
        var response = await SendAsync($"redeem {code}", key => merchant.Redemptions.RedeemAsync(code, friend, key), ct);
        if (response.Status == HttpStatusCode.Created)
        {
            model.Redeemed(response.Created());
        }
        else
        {
            Expect(response, "referrer_cap_reached");
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
        var response = await SendAsync($"qualify {id}", key => merchant.Redemptions.QualifyAsync(id, orderId, 5000, key), ct);
        if (response.Status == HttpStatusCode.OK)
        {
            var redemption = response.Ok();
            if (redemption.Status == "rewarded")
            {
                model.Qualified(redemption);
            }
        }
        else
        {
            Expect(response, "invalid_state"); // another client reversed or qualified it first
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
        var response = await SendAsync($"reverse {id}", key => merchant.Redemptions.ReverseAsync(id, "stress refund", key), ct);
        if (response.Status == HttpStatusCode.OK)
        {
            model.Reversed(response.Ok());
        }
        else
        {
            Expect(response, "invalid_state");
        }
    }

    private async Task SpendAsync(CancellationToken ct)
    {
        var holders = model.Balances.Where(b => b.Value.Net > 0).Select(b => b.Key).ToArray();
        var customer = holders.Length > 0 && random.Next(4) > 0 ? holders[random.Next(holders.Length)] : customers[random.Next(customers.Length)];
        var amount = 1 + random.Next(400);
        var orderId = $"{runId}-s{Interlocked.Increment(ref sequence)}-{random.Next(1_000_000)}";
        var response = await SendAsync($"spend by {customer}", key => merchant.Credits.SpendAsync(customer, amount, orderId, idempotencyKey: key), ct);
        if (response.Status == HttpStatusCode.Created)
        {
            model.Spent(response.Created());
        }
        else
        {
            Expect(response, "insufficient_credit", "currency_mismatch");
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
        var response = await SendAsync($"reverse spend {id}", key => merchant.Credits.ReverseSpendAsync(id, key), ct);
        if (response.Status == HttpStatusCode.OK)
        {
            model.SpendReversed(response.Ok());
        }
        else
        {
            Expect(response, "invalid_state");
        }
    }

    /// <summary>A balance read (a lookup: PostgreSQL's multiplexed pool) answers 200 or, while the server is away, 503.</summary>
    private async Task ReadBalanceAsync(CancellationToken ct)
    {
        var customer = customers[random.Next(customers.Length)];
        var response = await UntilDefinitiveAsync(() => merchant.Credits.GetBalanceAsync(customer), $"balance of {customer}", ct);
        var balance = response.Ok();
        Assert.That(balance.CustomerId, Is.EqualTo(customer), response.Text);
        Assert.That(balance.Balances.All(b => b.Available >= 0), response.Text);
    }

    /// <summary>Sends with a fresh key until the answer is definitive; one request in five is sent a second time to check the replay.</summary>
    private async Task<Response<T>> SendAsync<T>(string what, Func<string, Task<Response<T>>> send, CancellationToken ct)
    {
        var key = $"{runId}-k{Interlocked.Increment(ref sequence)}-{random.Next(1_000_000)}";
        var response = await UntilDefinitiveAsync(() => send(key), what, ct);
        if (random.Next(5) == 0)
        {
            var again = await UntilDefinitiveAsync(() => send(key), what, ct);
            Assert.That((again.Status, again.Text), Is.EqualTo((response.Status, response.Text)), $"replay of {what} with key {key}");
        }
        return response;
    }

    /// <summary>Sends again (a write with the same key) while the service answers 503; never a 5xx otherwise.</summary>
    private async Task<Response<T>> UntilDefinitiveAsync<T>(Func<Task<Response<T>>> send, string what, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Requests++;
            var response = await send();
            if (response.Status != HttpStatusCode.ServiceUnavailable)
            {
                Assert.That((int)response.Status, Is.LessThan(500), $"{what}: {response.Text}");
                return response;
            }
            Unavailable++;
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"{what} stayed unavailable: {response.Text}");
            await Task.Delay(100 + random.Next(200), ct);
        }
    }

    private static void Expect<T>(Response<T> response, params string[] codes) =>
        Assert.That(codes, Does.Contain(response.Refused(HttpStatusCode.UnprocessableEntity).Code), response.Text);
}
