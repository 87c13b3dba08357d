using ReferralService.Tests.Support;

namespace ReferralService.Tests.Resilience;

/// <summary>
/// Many clients, a random mix of writes with retries, a model of what each accepted request did;
/// afterwards the ledger must equal the model exactly and the invariants must hold. Seeded: set
/// STRESS_SEED to replay a run.
/// </summary>
public sealed class StressTests
{
    private const int Clients = 8;
    private const int OperationsPerClient = 120;

    [Test]
    public async Task A_random_mix_with_retries_leaves_the_ledger_exactly_as_the_model_says()
    {
        var seed = Seed();
        var (model, clients) = await RunAsync(seed, duringLoad: null);

        await AssertLedgerMatchesAsync(model, seed);
        TestContext.Out.WriteLine($"seed {seed}: {clients.Sum(c => c.Requests)} requests");
    }

    [Test]
    public async Task A_database_restart_mid_load_loses_nothing_and_applies_nothing_twice()
    {
        var database = TestRun.Database;
        if (database.ClusterDirectory is null)
        {
            Assert.Ignore("This run uses a database it did not start, so it cannot restart it.");
        }
        var seed = Seed();

        var (model, clients) = await RunAsync(seed, duringLoad: async () =>
        {
            await Task.Delay(700);
            await database.StopServerAsync();
            await Task.Delay(1000);
            await database.StartServerAsync();
        });

        await AssertLedgerMatchesAsync(model, seed);
        var unavailable = clients.Sum(c => c.Unavailable);
        TestContext.Out.WriteLine($"seed {seed}: {clients.Sum(c => c.Requests)} requests, {unavailable} answered 503 and were retried");
        Assert.That(unavailable, Is.GreaterThan(0), $"seed {seed}: the restart should have been felt by some request");
    }

    private static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable("STRESS_SEED"), out var seed) ? seed : Random.Shared.Next();

    private static async Task<(LedgerModel, StressClient[])> RunAsync(int seed, Func<Task>? duringLoad)
    {
        TestContext.Out.WriteLine($"stress seed {seed} (STRESS_SEED={seed} replays it)");
        var program = await Scenario.NewProgramAsync(referrerReward: 300, refereeReward: 200, maxRewardsPerReferrer: 40);
        var runId = $"s{seed % 100000}-{Guid.NewGuid():N}"[..16];
        var referrers = Enumerable.Range(0, 12).Select(i => $"{runId}-r{i}").ToArray();
        var codes = await Task.WhenAll(referrers.Select(r => Scenario.CodeForAsync(program, r)));
        var model = new LedgerModel();
        var http = Api.Client(Tokens.Merchant);
        http.Timeout = TimeSpan.FromSeconds(90);
        using var merchant = new Caller(http);
        var clients = Enumerable.Range(0, Clients)
            .Select(i => new StressClient(merchant, model, new Random(seed + i), codes, referrers, $"{runId}-c{i}"))
            .ToArray();

        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var load = clients.Select(c => Task.Run(() => c.RunAsync(OperationsPerClient, cts.Token))).ToList();
        if (duringLoad is not null)
        {
            load.Add(duringLoad());
        }
        await Task.WhenAll(load);
        return (model, clients);
    }

    private static async Task AssertLedgerMatchesAsync(LedgerModel model, int seed)
    {
        Assert.That(model.Redemptions, Is.Not.Empty, $"seed {seed}: nothing was redeemed");
        foreach (var (customer, expected) in model.Balances)
        {
            var (available, pending) = await Scenario.BalanceAsync(customer);
            var owed = await Scenario.OwedAsync(customer);
            Assert.That((available - owed, pending), Is.EqualTo(expected), $"seed {seed}: balance of {customer}");
        }
        await Ledger.AssertSoundAsync();
    }
}
