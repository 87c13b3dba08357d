using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Platform;

public sealed class IdempotencyTests
{
    [Test]
    public async Task The_same_key_and_body_replays_the_first_response_and_applies_once()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var merchant = Api.Merchant();
        var body = new { amount = 100, currency = "USD", orderId = "idem-1" };

        var first = await merchant.PostAsync($"/v1/customers/{friend}/spends", body, "key-spend-1");
        var firstText = await first.Content.ReadAsStringAsync();
        var second = await merchant.PostAsync($"/v1/customers/{friend}/spends", body, "key-spend-1");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await second.Content.ReadAsStringAsync(), Is.EqualTo(firstText));
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((900L, 0L)));
    }

    [Test]
    public async Task A_replay_returns_the_first_response_even_after_the_state_moved_on()
    {
        var program = await Scenario.NewProgramAsync();
        var code = await Scenario.CodeForAsync(program, Api.NewCustomerId("alice"));
        var friend = Api.NewCustomerId("bob");
        var key = Guid.NewGuid().ToString();
        var first = await Scenario.RedeemAsync(code, friend, key);
        await Scenario.QualifyAsync(first.GetProperty("id").GetGuid());

        var replay = await Scenario.RedeemAsync(code, friend, key);

        Assert.That(replay.Str("status"), Is.EqualTo("pending"));
        Assert.That(replay.ToString(), Is.EqualTo(first.ToString()));
    }

    [Test]
    public async Task The_same_key_with_a_different_body_is_refused()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();
        await (await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = 100, currency = "USD", orderId = "k1" }, "key-reused"))
            .ExpectAsync(HttpStatusCode.Created);

        await (await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = 200, currency = "USD", orderId = "k2" }, "key-reused"))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        await (await merchant.PostAsync($"/v1/redemptions/{Guid.NewGuid()}/reverse", new { reason = "x" }, "key-reused"))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((900L, 0L)));
    }

    [Test]
    public async Task A_key_older_than_24_hours_is_purged_and_a_younger_one_still_guards_its_request()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var merchant = Api.Merchant();
        var spends = $"/v1/customers/{friend}/spends";
        var old = $"old-{Guid.NewGuid():N}";
        var young = $"young-{Guid.NewGuid():N}";
        await (await merchant.PostAsync(spends, new { amount = 100, currency = "USD", orderId = $"{old}-1" }, old)).ExpectAsync(HttpStatusCode.Created);
        await (await merchant.PostAsync(spends, new { amount = 100, currency = "USD", orderId = $"{young}-1" }, young)).ExpectAsync(HttpStatusCode.Created);

        Task<long> KeysAsync(string key) => TestRun.Database.ScalarAsync<long>(
            "SELECT count(*) FROM idempotency_keys WHERE key = @key",
            "SELECT COUNT_BIG(*) FROM dbo.idempotency_keys WHERE [key] = @key", new { key });
        Assert.That(await TestRun.Database.ExecuteAsync(
            "UPDATE idempotency_keys SET created_at = created_at - interval '25 hours' WHERE key = @key",
            "UPDATE dbo.idempotency_keys SET created_at = DATEADD(hour, -25, created_at) WHERE [key] = @key", new { key = old }), Is.EqualTo(1));

        // The purge runs every second in tests (ServiceFactory).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await KeysAsync(old) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        Assert.That(await KeysAsync(old), Is.Zero, "the aged key was not purged");
        Assert.That(await KeysAsync(young), Is.EqualTo(1), "a key younger than 24 h was purged");

        // The purged key is free again; the young one still refuses another request.
        await (await merchant.PostAsync(spends, new { amount = 50, currency = "USD", orderId = $"{old}-2" }, old)).ExpectAsync(HttpStatusCode.Created);
        await (await merchant.PostAsync(spends, new { amount = 50, currency = "USD", orderId = $"{young}-2" }, young))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((750L, 0L)));
    }

    [Test]
    public async Task A_refusal_is_replayed_too()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var merchant = Api.Merchant();
        var body = new { amount = 5000, currency = "USD", orderId = "big" };
        await (await merchant.PostAsync($"/v1/customers/{friend}/spends", body, "key-refused"))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "insufficient_credit");

        await (await merchant.PostAsync($"/v1/customers/{friend}/spends", body, "key-refused"))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "insufficient_credit");
    }

    [Test]
    public async Task Keys_belong_to_their_caller()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var one = Api.Client(Tokens.For("merchant", "shop-one"));
        using var two = Api.Client(Tokens.For("merchant", "shop-two"));

        await (await one.PostAsync($"/v1/customers/{friend}/spends", new { amount = 100, currency = "USD", orderId = "a" }, "shared-key"))
            .ExpectAsync(HttpStatusCode.Created);
        await (await two.PostAsync($"/v1/customers/{friend}/spends", new { amount = 100, currency = "USD", orderId = "b" }, "shared-key"))
            .ExpectAsync(HttpStatusCode.Created);

        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((800L, 0L)));
    }

    [Test]
    public async Task An_over_long_key_is_a_validation_problem()
    {
        using var admin = Api.Admin();
        var response = await admin.PostAsync("/v1/programs",
            new { name = "p", currency = "USD", referrerReward = 1, refereeReward = 1, minimumOrderAmount = 0 }, new string('k', 256));
        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Test]
    public async Task A_caller_with_a_very_long_subject_still_gets_idempotency()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var merchant = Api.Client(Tokens.For("merchant", new string('m', 500)));
        var body = new { amount = 100, currency = "USD", orderId = "long-sub" };

        var first = await (await merchant.PostAsync($"/v1/customers/{friend}/spends", body, "long-sub-key")).ExpectAsync(HttpStatusCode.Created);
        var again = await (await merchant.PostAsync($"/v1/customers/{friend}/spends", body, "long-sub-key")).ExpectAsync(HttpStatusCode.Created);

        Assert.That(again.Str("id"), Is.EqualTo(first.Str("id")));
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((900L, 0L)));
    }
}
