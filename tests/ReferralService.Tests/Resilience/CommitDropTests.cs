using System.Net;
using Npgsql;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Resilience;

/// <summary>The database commits, then the connection breaks before the service hears about it.</summary>
public sealed class CommitDropTests
{
    private DroppingProxy proxy = null!;
    private ServiceFactory service = null!;

    [OneTimeSetUp]
    public void StartProxiedService()
    {
        if (!TestRun.Database.IsPostgres)
        {
            Assert.Ignore("The proxy speaks the PostgreSQL protocol.");
        }
        var direct = new NpgsqlConnectionStringBuilder(TestRun.Database.ConnectionString);
        proxy = new DroppingProxy(direct.Port);
        var proxied = new NpgsqlConnectionStringBuilder(TestRun.Database.ConnectionString) { Port = proxy.Port, SslMode = SslMode.Disable };
        service = new ServiceFactory(TestRun.Database, proxied.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task StopProxiedService()
    {
        if (service is not null)
        {
            await service.DisposeAsync();
        }
        if (proxy is not null)
        {
            await proxy.DisposeAsync();
        }
    }

    private Caller Merchant() => service.As(Tokens.Merchant);

    [Test]
    public async Task A_keyed_request_whose_commit_answer_was_lost_is_retried_and_applied_once()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var merchant = Merchant();
        var drops = proxy.Drops;

        proxy.DropNextAnswerTo("spend_credit");
        var spend = await merchant.Credits.SpendAsync(friend, 100, "lost-answer", idempotencyKey: "lost-" + friend).Created();

        Assert.That(proxy.Drops, Is.EqualTo(drops + 1), "the first answer was really lost");
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((900L, 0L)));

        var again = await merchant.Credits.SpendAsync(friend, 100, "lost-answer", idempotencyKey: "lost-" + friend).Created();
        Assert.That(again.Id, Is.EqualTo(spend.Id));
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((900L, 0L)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task An_unkeyed_request_whose_commit_answer_was_lost_is_not_retried_blindly_and_its_natural_key_holds()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var merchant = Merchant();

        proxy.DropNextAnswerTo("spend_credit");
        await merchant.Credits.SpendAsync(friend, 100, "lost-unkeyed").Refused(HttpStatusCode.ServiceUnavailable, "database_unavailable");

        // The client retries as told; the spend had committed, and the order's natural key finds it.
        await merchant.Credits.SpendAsync(friend, 100, "lost-unkeyed").Ok();
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((900L, 0L)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task A_lost_redemption_answer_is_replayed_not_redeemed_twice()
    {
        var program = await Scenario.NewProgramAsync();
        var alice = Api.NewCustomerId("alice");
        var code = await Scenario.CodeForAsync(program, alice);
        var bob = Api.NewCustomerId("bob");
        using var merchant = Merchant();

        proxy.DropNextAnswerTo("redeem");
        await merchant.Redemptions.RedeemAsync(code, bob, "lost-redeem-" + bob).Created();

        Assert.That(await Scenario.BalanceAsync(alice), Is.EqualTo((0L, 2000L)));
        Assert.That(await Scenario.BalanceAsync(bob), Is.EqualTo((0L, 1000L)));
    }
}
