using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Redemptions;

/// <summary>Races that would break the ledger if a procedure read before it locked.</summary>
public sealed class ConcurrencyTests
{
    [Test]
    public async Task Parallel_redemptions_of_one_code_never_exceed_the_referrer_limit()
    {
        const int limit = 5;
        var program = await Scenario.NewProgramAsync(referrerReward: 100, refereeReward: 50, maxRewardsPerReferrer: limit);
        var alice = Api.NewCustomerId("alice");
        var code = await Scenario.CodeForAsync(program, alice);
        using var merchant = Api.Merchant();

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ =>
            merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId("friend"))));

        Assert.That(responses.Count(r => r.Status == HttpStatusCode.Created), Is.EqualTo(limit));
        Assert.That(responses.Count(r => r.Status == HttpStatusCode.UnprocessableEntity), Is.EqualTo(40 - limit));
        Assert.That(await Scenario.BalanceAsync(alice), Is.EqualTo((0L, limit * 100L)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task Parallel_requests_with_one_key_apply_once_and_all_answer_alike()
    {
        var program = await Scenario.NewProgramAsync();
        var alice = Api.NewCustomerId("alice");
        var code = await Scenario.CodeForAsync(program, alice);
        var friend = Api.NewCustomerId("bob");
        using var merchant = Api.Merchant();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            merchant.Redemptions.RedeemAsync(code, friend, "one-key-" + friend)));
        var bodies = responses.Select(r => r.Text).ToList();

        Assert.That(responses.Select(r => r.Status), Is.All.EqualTo(HttpStatusCode.Created), string.Join("\n", bodies.Distinct()));
        Assert.That(bodies.Distinct().Count(), Is.EqualTo(1));
        Assert.That(await Scenario.BalanceAsync(alice), Is.EqualTo((0L, 2000L)));
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((0L, 1000L)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task Parallel_spends_never_overdraw()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var merchant = Api.Merchant();

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            merchant.Credits.SpendAsync(friend, 100, $"race-{i}")));

        Assert.That(responses.Count(r => r.Status == HttpStatusCode.Created), Is.EqualTo(10));
        Assert.That(responses.Count(r => r.Status == HttpStatusCode.UnprocessableEntity), Is.EqualTo(20));
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((0L, 0L)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task Customers_referring_each_other_in_parallel_do_not_deadlock_the_ledger()
    {
        var customers = Enumerable.Range(0, 6).Select(i => Api.NewCustomerId($"c{i}")).ToArray();
        var programs = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Scenario.NewProgramAsync(referrerReward: 10, refereeReward: 5)));
        using var merchant = Api.Merchant();
        var work = new List<Task<Response<Redemption>>>();
        for (var p = 0; p < programs.Length; p++)
        {
            // In program p, customer i refers customer (i + p + 1) mod n: every pair meets in both directions.
            for (var i = 0; i < customers.Length; i++)
            {
                var referrer = customers[i];
                var friend = customers[(i + p + 1) % customers.Length];
                if (referrer == friend)
                {
                    continue;
                }
                var code = await Scenario.CodeForAsync(programs[p], referrer);
                work.Add(merchant.Redemptions.RedeemAsync(code, friend));
            }
        }

        var responses = await Task.WhenAll(work);
        var redemptions = responses.Where(r => r.Status == HttpStatusCode.Created).Select(r => r.Created()).ToList();
        var qualified = await Task.WhenAll(redemptions.Select(r =>
            merchant.Redemptions.QualifyAsync(r.Id, "o-" + r.Id.ToString()[..8], 100)));

        Assert.That(responses.Select(r => r.Status), Is.All.EqualTo(HttpStatusCode.Created).Or.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(qualified.Select(r => r.Status), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(redemptions, Has.Count.GreaterThan(0));
        await Ledger.AssertSoundAsync();
    }
}
