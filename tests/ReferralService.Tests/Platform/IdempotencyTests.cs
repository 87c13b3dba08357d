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

        var first = await merchant.Credits.SpendAsync(friend, 100, "idem-1", idempotencyKey: "key-spend-1");
        var second = await merchant.Credits.SpendAsync(friend, 100, "idem-1", idempotencyKey: "key-spend-1");

        Assert.That(first.Status, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(second.Status, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(second.Text, Is.EqualTo(first.Text));
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((900L, 0L)));
    }

    [Test]
    public async Task A_replay_returns_the_first_response_even_after_the_state_moved_on()
    {
        var program = await Scenario.NewProgramAsync();
        var code = await Scenario.CodeForAsync(program, Api.NewCustomerId("alice"));
        var friend = Api.NewCustomerId("bob");
        var key = Guid.NewGuid().ToString();
        using var merchant = Api.Merchant();
        var first = await merchant.Redemptions.RedeemAsync(code, friend, key);
        await Scenario.QualifyAsync(first.Created().Id);

        var replay = await merchant.Redemptions.RedeemAsync(code, friend, key);

        Assert.That(replay.Created().Status, Is.EqualTo("pending"));
        Assert.That(replay.Text, Is.EqualTo(first.Text));
    }

    [Test]
    public async Task The_same_key_with_a_different_body_is_refused()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();
        await merchant.Credits.SpendAsync(friend, 100, "k1", idempotencyKey: "key-reused").Created();

        await merchant.Credits.SpendAsync(friend, 200, "k2", idempotencyKey: "key-reused")
            .Refused(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        await merchant.Redemptions.ReverseAsync(Guid.NewGuid(), "x", idempotencyKey: "key-reused")
            .Refused(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((900L, 0L)));
    }

    [Test]
    public async Task A_key_older_than_24_hours_is_purged_and_a_younger_one_still_guards_its_request()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var merchant = Api.Merchant();
        var old = $"old-{Guid.NewGuid():N}";
        var young = $"young-{Guid.NewGuid():N}";
        await merchant.Credits.SpendAsync(friend, 100, $"{old}-1", idempotencyKey: old).Created();
        await merchant.Credits.SpendAsync(friend, 100, $"{young}-1", idempotencyKey: young).Created();

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
        await merchant.Credits.SpendAsync(friend, 50, $"{old}-2", idempotencyKey: old).Created();
        await merchant.Credits.SpendAsync(friend, 50, $"{young}-2", idempotencyKey: young)
            .Refused(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((750L, 0L)));
    }

    [Test]
    public async Task A_refusal_is_replayed_too()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var merchant = Api.Merchant();
        await merchant.Credits.SpendAsync(friend, 5000, "big", idempotencyKey: "key-refused")
            .Refused(HttpStatusCode.UnprocessableEntity, "insufficient_credit");

        await merchant.Credits.SpendAsync(friend, 5000, "big", idempotencyKey: "key-refused")
            .Refused(HttpStatusCode.UnprocessableEntity, "insufficient_credit");
    }

    [Test]
    public async Task Keys_belong_to_their_caller()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var one = Api.As(Tokens.For("merchant", "shop-one"));
        using var two = Api.As(Tokens.For("merchant", "shop-two"));

        await one.Credits.SpendAsync(friend, 100, "a", idempotencyKey: "shared-key").Created();
        await two.Credits.SpendAsync(friend, 100, "b", idempotencyKey: "shared-key").Created();

        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((800L, 0L)));
    }

    [Test]
    public async Task An_over_long_key_is_a_validation_problem()
    {
        using var admin = Api.Admin();
        await admin.Programs.CreateProgramAsync(new NewProgram("p", "USD", 1, 1, 0), idempotencyKey: new string('k', 256))
            .Refused(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Test]
    public async Task A_caller_with_a_very_long_subject_still_gets_idempotency()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var merchant = Api.As(Tokens.For("merchant", new string('m', 500)));

        var first = await merchant.Credits.SpendAsync(friend, 100, "long-sub", idempotencyKey: "long-sub-key").Created();
        var again = await merchant.Credits.SpendAsync(friend, 100, "long-sub", idempotencyKey: "long-sub-key").Created();

        Assert.That(again.Id, Is.EqualTo(first.Id));
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((900L, 0L)));
    }
}
