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

        await (await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = 1001, currency = "USD", orderId = "too-much" }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "insufficient_credit");

        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((1000L, 0L)));
    }

    [Test]
    public async Task Pending_credit_cannot_be_spent()
    {
        var program = await Scenario.NewProgramAsync();
        var bob = Api.NewCustomerId("bob");
        await Scenario.RedeemAsync(await Scenario.CodeForAsync(program, Api.NewCustomerId("alice")), bob);
        using var merchant = Api.Merchant();

        await (await merchant.PostAsync($"/v1/customers/{bob}/spends", new { amount = 1, currency = "USD", orderId = "early" }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "insufficient_credit");
    }

    [Test]
    public async Task Credit_in_one_currency_never_pays_for_another()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();

        await (await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = 100, currency = "EUR", orderId = "euro" }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "currency_mismatch");
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((1000L, 0L)));
    }

    [Test]
    public async Task One_order_has_one_spend_a_repeat_returns_it_and_a_different_one_conflicts()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();
        var first = await (await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = 300, currency = "USD", orderId = "order-7" }))
            .ExpectAsync(HttpStatusCode.Created);

        var repeat = await (await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = 300, currency = "USD", orderId = "order-7" }))
            .ExpectAsync(HttpStatusCode.OK);
        await (await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = 400, currency = "USD", orderId = "order-7" }))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "duplicate_order");

        Assert.That(repeat.Str("id"), Is.EqualTo(first.Str("id")));
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((700L, 0L)));
    }

    [Test]
    public async Task A_spend_can_be_read_where_its_location_points_by_the_customer_and_by_no_other()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();
        var created = await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = 150, currency = "USD", orderId = "read-me" });
        var spend = await created.ExpectAsync(HttpStatusCode.Created);

        using var owner = Api.Client(Tokens.Customer(friend));
        var read = await (await owner.GetAsync(created.Headers.Location)).ExpectAsync(HttpStatusCode.OK);
        Assert.That((read.Str("id"), read.Long("amount"), read.Str("status")), Is.EqualTo((spend.Str("id"), 150L, "spent")));

        using var stranger = Api.Client(Tokens.Customer(Api.NewCustomerId("stranger")));
        await (await stranger.GetAsync(created.Headers.Location)).ExpectProblemAsync(HttpStatusCode.NotFound, "not_found");
        var otherCustomer = Api.NewCustomerId("other");
        await (await merchant.GetAsync($"/v1/customers/{otherCustomer}/spends/{spend.Str("id")}"))
            .ExpectProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Test]
    public async Task A_spend_is_reversed_once()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();
        var spend = await (await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = 250, currency = "USD", orderId = "cancel-me" }))
            .ExpectAsync(HttpStatusCode.Created);

        await (await merchant.PostAsync($"/v1/spends/{spend.Str("id")}/reverse", new { })).ExpectAsync(HttpStatusCode.OK);
        await (await merchant.PostAsync($"/v1/spends/{spend.Str("id")}/reverse", new { }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_state");
        await (await merchant.PostAsync($"/v1/spends/{Guid.NewGuid()}/reverse", new { })).ExpectProblemAsync(HttpStatusCode.NotFound, "not_found");

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
        await (await merchant.PostAsync("/v1/customers/someone/spends", new { amount, currency, orderId }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Test]
    public async Task The_statement_pages_newest_first_without_gaps_or_repeats()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var merchant = Api.Merchant();
        for (var i = 0; i < 5; i++)
        {
            await (await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = 10, currency = "USD", orderId = $"page-{i}" }))
                .ExpectAsync(HttpStatusCode.Created);
        }

        var seen = new List<(long Id, long Amount)>();
        string? cursor = null;
        do
        {
            var url = $"/v1/customers/{friend}/transactions?limit=2" + (cursor is null ? "" : $"&startingAfter={cursor}");
            var page = await (await merchant.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(t => (long.Parse(t.Str("id"), System.Globalization.CultureInfo.InvariantCulture), t.Long("amount"))));
            cursor = page.GetProperty("hasMore").GetBoolean() ? page.Str("nextStartingAfter") : null;
        }
        while (cursor is not null);

        // reward pending, reward posted, five spends
        Assert.That(seen, Has.Count.EqualTo(7));
        Assert.That(seen.Select(s => s.Id), Is.Ordered.Descending.And.Unique);
        Assert.That(seen.Count(s => s.Amount == -10), Is.EqualTo(5));
        Assert.That(seen.Count(s => s.Amount == 1000), Is.EqualTo(2));
    }

    [TestCase("limit=0")]
    [TestCase("limit=101")]
    [TestCase("startingAfter=abc")]
    public async Task Bad_paging_arguments_are_validation_problems(string query)
    {
        using var merchant = Api.Merchant();
        await (await merchant.GetAsync($"/v1/customers/someone/transactions?{query}")).ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }
}
