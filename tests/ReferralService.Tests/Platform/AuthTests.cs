using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Platform;

public sealed class AuthTests
{
    private static readonly object Program = new { name = "p", currency = "USD", referrerReward = 1, refereeReward = 1, minimumOrderAmount = 0 };

    [Test]
    public async Task A_request_without_a_token_is_unauthorized()
    {
        using var anonymous = Api.Client(null);
        var response = await anonymous.PostAsync("/v1/programs", Program);
        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Test]
    public async Task A_token_signed_with_another_key_is_unauthorized()
    {
        using var forged = Api.Client(Tokens.For("admin", "mallory", key: System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var response = await forged.PostAsync("/v1/programs", Program);
        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Test]
    public async Task An_expired_token_is_unauthorized()
    {
        using var expired = Api.Client(Tokens.For("admin", "late", expires: DateTime.UtcNow.AddHours(-1)));
        var response = await expired.PostAsync("/v1/programs", Program);
        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Test]
    public async Task A_token_that_expired_minutes_ago_is_unauthorized()
    {
        using var late = Api.Client(Tokens.For("admin", "late", expires: DateTime.UtcNow.AddMinutes(-4)));
        var response = await late.PostAsync("/v1/programs", Program);
        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Test]
    public async Task A_token_that_expired_seconds_ago_is_still_accepted_for_clock_skew()
    {
        using var justExpired = Api.Client(Tokens.For("finance", "skewed", expires: DateTime.UtcNow.AddSeconds(-5)));
        await (await justExpired.GetAsync("/v1/reports/trial-balance")).ExpectAsync(HttpStatusCode.OK);
    }

    [Test]
    public async Task The_clock_skew_is_configurable()
    {
        await using var lenient = Api.ServiceWith("Authentication:ClockSkewSeconds", "300");
        using var late = lenient.Client(Tokens.For("finance", "late", expires: DateTime.UtcNow.AddMinutes(-4)));
        await (await late.GetAsync("/v1/reports/trial-balance")).ExpectAsync(HttpStatusCode.OK);
    }

    [TestCase("-1")]
    [TestCase("3600")]
    public void A_clock_skew_out_of_range_stops_the_service_at_start(string seconds)
    {
        Assert.That(StartupFailure.Of(("Authentication:ClockSkewSeconds", seconds)), Does.Contain("ClockSkewSeconds"));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase(" ")]
    public async Task A_token_without_a_subject_is_unauthorized(string? subject)
    {
        // Without one, every such token would share one idempotency scope and one rate-limit bucket.
        using var anonymous = Api.Client(Tokens.For("merchant", subject));
        var response = await anonymous.GetAsync($"/v1/redemptions/{Guid.NewGuid()}");
        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Test]
    public async Task A_refused_token_is_not_told_why()
    {
        using var forged = Api.Client(Tokens.For("admin", "mallory", issuer: "evil"));
        using var expired = Api.Client(Tokens.For("admin", "late", expires: DateTime.UtcNow.AddHours(-1)));
        foreach (var client in new[] { forged, expired })
        {
            var response = await client.GetAsync("/v1/reports/trial-balance");
            await response.ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer error=\"invalid_token\""));
        }
    }

    [TestCase("merchant")]
    [TestCase("finance")]
    [TestCase("customer")]
    public async Task Only_an_admin_creates_programs(string role)
    {
        using var client = Api.Client(Tokens.For(role, "someone"));
        var response = await client.PostAsync("/v1/programs", Program);
        await response.ExpectProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Test]
    public async Task Finance_reads_but_cannot_redeem_or_spend()
    {
        var (program, referrer, friend, redemption) = await Scenario.RewardedPairAsync();
        using var finance = Api.Finance();

        await finance.Programs.GetProgramAsync(program).Ok();
        await finance.Redemptions.GetRedemptionAsync(redemption).Ok();
        await finance.Redemptions.RedeemAsync("ABCDEFGHJK", "x").Refused(HttpStatusCode.Forbidden, "forbidden");
        await finance.Credits.SpendAsync(friend, 1, "o1").Refused(HttpStatusCode.Forbidden, "forbidden");
        Assert.That(referrer, Is.Not.EqualTo(friend));
    }

    [Test]
    public async Task A_customer_sees_only_their_own_data_and_others_look_absent()
    {
        var (program, referrer, friend, _) = await Scenario.RewardedPairAsync();
        using var customer = Api.As(Tokens.Customer(friend));

        var own = await customer.Credits.GetBalanceAsync(friend).Ok();
        Assert.That(own.Balances[0].Available, Is.EqualTo(1000));
        await customer.Credits.ListTransactionsAsync(friend).Ok();
        await customer.Codes.GetOrCreateCodeAsync(program, friend).Created();

        await customer.Credits.GetBalanceAsync(referrer).Refused(HttpStatusCode.NotFound, "not_found");
        await customer.Credits.ListTransactionsAsync(referrer).Refused(HttpStatusCode.NotFound, "not_found");
        await customer.Codes.GetOrCreateCodeAsync(program, referrer).Refused(HttpStatusCode.NotFound, "not_found");
    }

    [Test]
    public async Task A_customer_cannot_act_as_a_merchant()
    {
        var (_, _, friend, redemption) = await Scenario.RewardedPairAsync();
        using var customer = Api.As(Tokens.Customer(friend));

        await customer.Credits.SpendAsync(friend, 1, "o1").Refused(HttpStatusCode.Forbidden, "forbidden");
        await customer.Redemptions.ReverseAsync(redemption, "mine").Refused(HttpStatusCode.Forbidden, "forbidden");
        await customer.Reports.TrialBalanceAsync().Refused(HttpStatusCode.Forbidden, "forbidden");
    }
}
