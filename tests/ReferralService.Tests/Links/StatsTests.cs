using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Links;

/// <summary>GET /v1/codes/{code}/stats and /v1/programs/{programId}/stats.</summary>
public sealed class StatsTests
{
    private static string Instant(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ");

    /// <summary>
    /// Clicks on whole UTC days before today, so that the days are the same whenever the test runs: yesterday, visitor A
    /// twice on iOS and B on Android; the day before, A on a desktop (another day: another unique visitor); four days
    /// ago, one click before the period. Redemptions: one attributed to a click and qualified, one pending, one reversed.
    /// </summary>
    [Test]
    public async Task Stats_count_a_codes_and_a_programs_clicks_visitors_platforms_redemptions_and_cost()
    {
        var program = await Scenario.NewProgramAsync(referrerReward: 2000, refereeReward: 1000);
        var alice = Api.NewCustomerId("alice");
        var code = await Scenario.CodeForAsync(program, alice);
        var otherCode = await Scenario.CodeForAsync(program, Api.NewCustomerId("dave"));
        var today = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        var (a, b) = (Clicks.NewVisitor(), Clicks.NewVisitor());
        var attributed = await Clicks.InsertAsync(code, program, today.AddDays(-1).AddHours(9), a, "ios", "17.4");
        await Clicks.InsertAsync(code, program, today.AddDays(-1).AddHours(10), a, "ios", "17.4");
        await Clicks.InsertAsync(code, program, today.AddDays(-1).AddHours(11), b, "android", "14.0");
        await Clicks.InsertAsync(code, program, today.AddDays(-2).AddHours(12), a, "desktop");
        await Clicks.InsertAsync(code, program, today.AddDays(-4), a, "ios");
        await Clicks.InsertAsync(otherCode, program, today.AddDays(-1).AddHours(12), Clicks.NewVisitor(), "other");
        using var merchant = Api.Merchant();
        var qualified = await merchant.Redemptions.RedeemAsync(new Checkout(code, Api.NewCustomerId("bob"), ClickId: attributed)).Created();
        await Scenario.QualifyAsync(qualified.Id);
        await merchant.Redemptions.RedeemAsync(new Checkout(code, Api.NewCustomerId("carol"))).Created();
        var reversed = await merchant.Redemptions.RedeemAsync(new Checkout(code, Api.NewCustomerId("erin"))).Created();
        await merchant.Redemptions.ReverseAsync(reversed.Id, "order cancelled").Ok();
        var (from, to) = (Instant(today.AddDays(-3)), Instant(DateTimeOffset.UtcNow.AddMinutes(1)));
        using var finance = Api.Finance();

        var codeStats = await finance.Attribution.CodeStatsAsync(code.ToLowerInvariant(), from, to).Ok();
        var programStats = await finance.Attribution.ProgramStatsAsync(program, from, to).Ok();

        Assert.Multiple(() =>
        {
            Assert.That(codeStats with { From = default, To = default }, Is.EqualTo(new Stats(
                code, program, default, default, "USD", Clicks: 4, UniqueVisitors: 3, new ClicksByPlatform(Ios: 2, Android: 1, Desktop: 1, Other: 0),
                Redemptions: 3, Qualified: 1, Reversed: 1, RedemptionsFromClicks: 1, QualifiedFromClicks: 1, Conversion: 0.25m,
                RewardCost: 3000, PendingRewardCost: 3000)));
            Assert.That(codeStats.From, Is.EqualTo(today.AddDays(-3)));
            Assert.That(programStats with { From = default, To = default }, Is.EqualTo(new Stats(
                null, program, default, default, "USD", Clicks: 5, UniqueVisitors: 4, new ClicksByPlatform(Ios: 2, Android: 1, Desktop: 1, Other: 1),
                Redemptions: 3, Qualified: 1, Reversed: 1, RedemptionsFromClicks: 1, QualifiedFromClicks: 1, Conversion: 0.2m,
                RewardCost: 3000, PendingRewardCost: 3000)));
        });
    }

    [Test]
    public async Task A_promo_codes_cost_is_its_discounts_and_credit_and_its_redemptions_qualify_when_made()
    {
        var discounts = await Scenario.NewPromoProgramAsync(Offer.PercentOffer(1000));
        var discountCode = await Scenario.VanityCodeAsync(discounts);
        var credits = await Scenario.NewPromoProgramAsync(Offer.Credit(700), currency: "EUR");
        var creditCode = await Scenario.VanityCodeAsync(credits);
        using var merchant = Api.Merchant();
        await merchant.Redemptions.RedeemAsync(Scenario.Order(discountCode, Api.NewCustomerId("bob"), 5000)).Created();
        await merchant.Redemptions.RedeemAsync(Scenario.Order(discountCode, Api.NewCustomerId("carol"), 12345)).Created();
        await merchant.Redemptions.RedeemAsync(Scenario.Order(creditCode, Api.NewCustomerId("erin"), 100)).Created();
        using var admin = Api.Admin();

        var discountStats = await admin.Attribution.CodeStatsAsync(discountCode).Ok();
        var creditStats = await admin.Attribution.ProgramStatsAsync(credits).Ok();

        Assert.Multiple(() =>
        {
            Assert.That((discountStats.Redemptions, discountStats.Qualified, discountStats.RewardCost, discountStats.Conversion),
                Is.EqualTo((2L, 2L, 500m + 1234m, (decimal?)null)));
            Assert.That((creditStats.Currency, creditStats.Qualified, creditStats.RewardCost, creditStats.PendingRewardCost),
                Is.EqualTo(("EUR", 1L, 700m, 0m)));
            Assert.That(discountStats.To - discountStats.From, Is.EqualTo(TimeSpan.FromDays(30)), "the default period");
        });
    }

    [Test]
    public async Task A_customer_sees_the_stats_of_their_own_code_only()
    {
        var program = await Scenario.NewProgramAsync();
        var alice = Api.NewCustomerId("alice");
        var code = await Scenario.CodeForAsync(program, alice);
        var dave = Api.NewCustomerId("dave");
        await Scenario.CodeForAsync(program, dave);
        using var owner = Api.As(Tokens.Customer(alice));
        using var other = Api.As(Tokens.Customer(dave));

        var own = await owner.Attribution.CodeStatsAsync(code).Ok();
        await other.Attribution.CodeStatsAsync(code).Refused(HttpStatusCode.NotFound, "code_not_found");
        var programStats = await owner.Attribution.ProgramStatsAsync(program);

        Assert.Multiple(() =>
        {
            Assert.That(own.Code, Is.EqualTo(code));
            Assert.That(programStats.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task Unknown_codes_and_programs_have_no_stats()
    {
        using var admin = Api.Admin();

        await admin.Attribution.CodeStatsAsync("NO-SUCH-CODE").Refused(HttpStatusCode.NotFound, "code_not_found");
        await admin.Attribution.CodeStatsAsync("not a code!").Refused(HttpStatusCode.NotFound, "code_not_found");
        await admin.Attribution.ProgramStatsAsync(Guid.NewGuid()).Refused(HttpStatusCode.NotFound, "not_found");
    }

    [TestCase("2026-03-01T00:00:00Z", "2026-03-01T00:00:00Z", "to")]
    [TestCase("2026-03-02T00:00:00Z", "2026-03-01T00:00:00Z", "to")]
    [TestCase("2025-01-01T00:00:00Z", "2026-03-01T00:00:00Z", "from")]
    [TestCase("2026-03-01T00:00:00", "2026-03-02T00:00:00Z", "from")]
    [TestCase("2026-03-01", "2026-03-02T00:00:00Z", "from")]
    [TestCase("2026-03-01T00:00:00Z", "tomorrow", "to")]
    public async Task A_period_is_two_instants_with_offsets_in_order_and_at_most_366_days(string from, string to, string field)
    {
        var program = await Scenario.NewProgramAsync();
        using var admin = Api.Admin();

        var problem = await admin.Attribution.ProgramStatsAsync(program, from, to).Refused(HttpStatusCode.BadRequest, "validation_failed");

        Assert.That(problem.Errors?.Keys, Is.EqualTo(new[] { field }));
    }

    [Test]
    public async Task An_offset_whose_plus_sign_was_not_escaped_is_still_read_as_plus()
    {
        var program = await Scenario.NewProgramAsync();
        using var http = Api.Client(Tokens.Admin);

        var response = await http.GetAsync($"/v1/programs/{program}/stats?from=2026-03-01T10:00:00+02:00&to=2026-03-02T10:00:00%2B02:00");

        var body = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.That(body.GetProperty("from").GetDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero)));
    }
}
