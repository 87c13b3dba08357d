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

    private HttpClient Merchant()
    {
        var client = service.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.Merchant);
        return client;
    }

    [Test]
    public async Task A_keyed_request_whose_commit_answer_was_lost_is_retried_and_applied_once()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var merchant = Merchant();
        var drops = proxy.Drops;

        proxy.DropNextAnswerTo("spend_credit");
        var response = await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = 100, currency = "USD", orderId = "lost-answer" }, "lost-" + friend);

        var spend = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.That(proxy.Drops, Is.EqualTo(drops + 1), "the first answer was really lost");
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((900L, 0L)));

        var again = await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = 100, currency = "USD", orderId = "lost-answer" }, "lost-" + friend);
        Assert.That((await again.ExpectAsync(HttpStatusCode.Created)).Str("id"), Is.EqualTo(spend.Str("id")));
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((900L, 0L)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task An_unkeyed_request_whose_commit_answer_was_lost_is_not_retried_blindly_and_its_natural_key_holds()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var merchant = Merchant();
        var body = new { amount = 100, currency = "USD", orderId = "lost-unkeyed" };

        proxy.DropNextAnswerTo("spend_credit");
        var first = await merchant.PostAsync($"/v1/customers/{friend}/spends", body);
        await first.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable, "database_unavailable");

        // The client retries as told; the spend had committed, and the order's natural key finds it.
        var retry = await merchant.PostAsync($"/v1/customers/{friend}/spends", body);
        await retry.ExpectAsync(HttpStatusCode.OK);
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
        var response = await merchant.PostAsync("/v1/redemptions", new { code, customerId = bob }, "lost-redeem-" + bob);

        await response.ExpectAsync(HttpStatusCode.Created);
        Assert.That(await Scenario.BalanceAsync(alice), Is.EqualTo((0L, 2000L)));
        Assert.That(await Scenario.BalanceAsync(bob), Is.EqualTo((0L, 1000L)));
    }
}
