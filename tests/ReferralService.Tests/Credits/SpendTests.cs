using System.Globalization;
using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Credits;

public sealed class SpendTests
{
    [Test]
    public async Task Spending_more_than_the_available_credit_is_refused_and_changes_nothing()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var merchant = Api.Merchant();

        await merchant.Credits.SpendAsync(friend, 1001, "too-much").Refused(HttpStatusCode.UnprocessableEntity, "insufficient_credit");

        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((1000L, 0L)));
    }

    [Test]
    public async Task Pending_credit_cannot_be_spent()
    {
        var program = await Scenario.NewProgramAsync();
        var bob = Api.NewCustomerId("bob");
        await Scenario.RedeemAsync(await Scenario.CodeForAsync(program, Api.NewCustomerId("alice")), bob);
        using var merchant = Api.Merchant();

        await merchant.Credits.SpendAsync(bob, 1, "early").Refused(HttpStatusCode.UnprocessableEntity, "insufficient_credit");
    }

    [Test]
    public async Task Credit_in_one_currency_never_pays_for_another()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();

        await merchant.Credits.SpendAsync(friend, 100, "euro", currency: "EUR").Refused(HttpStatusCode.UnprocessableEntity, "currency_mismatch");
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((1000L, 0L)));
    }

    [Test]
    public async Task One_order_has_one_spend_a_repeat_returns_it_and_a_different_one_conflicts()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();
        var first = await merchant.Credits.SpendAsync(friend, 300, "order-7").Created();

        var repeat = await merchant.Credits.SpendAsync(friend, 300, "order-7").Ok();
        await merchant.Credits.SpendAsync(friend, 400, "order-7").Refused(HttpStatusCode.Conflict, "duplicate_order");

        Assert.That(repeat.Id, Is.EqualTo(first.Id));
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((700L, 0L)));
    }

    [Test]
    public async Task A_spend_can_be_read_where_its_location_points_by_the_customer_and_by_no_other()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();
        var created = await merchant.Credits.SpendAsync(friend, 150, "read-me");
        var spend = created.Created();

        using var owner = Api.As(Tokens.Customer(friend));
        var read = await owner.Credits.GetSpendAsync(created.Location).Ok();
        Assert.That((read.Id, read.Amount, read.Status), Is.EqualTo((spend.Id, 150L, "spent")));

        using var stranger = Api.As(Tokens.Customer(Api.NewCustomerId("stranger")));
        await stranger.Credits.GetSpendAsync(created.Location).Refused(HttpStatusCode.NotFound, "not_found");
        await merchant.Credits.GetSpendAsync(Api.NewCustomerId("other"), spend.Id).Refused(HttpStatusCode.NotFound, "not_found");
    }

    [Test]
    public async Task A_spend_is_reversed_once()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();
        var spend = await merchant.Credits.SpendAsync(friend, 250, "cancel-me").Created();

        await merchant.Credits.ReverseSpendAsync(spend.Id).Ok();
        await merchant.Credits.ReverseSpendAsync(spend.Id).Refused(HttpStatusCode.UnprocessableEntity, "invalid_state");
        await merchant.Credits.ReverseSpendAsync(Guid.NewGuid()).Refused(HttpStatusCode.NotFound, "not_found");

        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((1000L, 0L)));
    }

    [TestCase(0, "USD", "o")]
    [TestCase(-5, "USD", "o")]
    [TestCase(10, "usd", "o")]
    [TestCase(10, "USDX", "o")]
    [TestCase(10, "USD", "")]
    public async Task A_malformed_spend_is_a_validation_problem(long amount, string currency, string orderId)
    {
        using var merchant = Api.Merchant();
        await merchant.Credits.SpendAsync("someone", amount, orderId, currency).Refused(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Test]
    public async Task The_statement_pages_newest_first_without_gaps_or_repeats()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var merchant = Api.Merchant();
        for (var i = 0; i < 5; i++)
        {
            await merchant.Credits.SpendAsync(friend, 10, $"page-{i}").Created();
        }

        var seen = new List<(long Id, long Amount)>();
        string? cursor = null;
        do
        {
            var page = await merchant.Credits.ListTransactionsAsync(friend, limit: 2, startingAfter: cursor).Ok();
            seen.AddRange(page.Data.Select(t => (long.Parse(t.Id, CultureInfo.InvariantCulture), t.Amount)));
            cursor = page.HasMore ? page.NextStartingAfter : null;
            Assert.That(page.HasMore, Is.EqualTo(cursor is not null), "a page with more names where to start next");
        }
        while (cursor is not null);

        // reward pending, reward posted, five spends
        Assert.That(seen, Has.Count.EqualTo(7));
        Assert.That(seen.Select(s => s.Id), Is.Ordered.Descending.And.Unique);
        Assert.That(seen.Count(s => s.Amount == -10), Is.EqualTo(5));
        Assert.That(seen.Count(s => s.Amount == 1000), Is.EqualTo(2));
    }

    [TestCase(0, null)]
    [TestCase(101, null)]
    [TestCase(null, "abc")]
    public async Task Bad_paging_arguments_are_validation_problems(int? limit, string? startingAfter)
    {
        using var merchant = Api.Merchant();
        await merchant.Credits.ListTransactionsAsync("someone", limit, startingAfter).Refused(HttpStatusCode.BadRequest, "validation_failed");
    }
}
