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
        using var misconfigured = Api.ServiceWith("Authentication:ClockSkewSeconds", seconds);
        Assert.That(() => misconfigured.CreateClient(), Throws.Exception.With.Message.Contains("ClockSkewSeconds"));
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

        await (await finance.GetAsync($"/v1/programs/{program}")).ExpectAsync(HttpStatusCode.OK);
        await (await finance.GetAsync($"/v1/redemptions/{redemption}")).ExpectAsync(HttpStatusCode.OK);
        await (await finance.PostAsync("/v1/redemptions", new { code = "ABCDEFGHJK", customerId = "x" }))
            .ExpectProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await finance.PostAsync($"/v1/customers/{friend}/spends", new { amount = 1, currency = "USD", orderId = "o1" }))
            .ExpectProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.That(referrer, Is.Not.EqualTo(friend));
    }

    [Test]
    public async Task A_customer_sees_only_their_own_data_and_others_look_absent()
    {
        var (program, referrer, friend, _) = await Scenario.RewardedPairAsync();
        using var customer = Api.Client(Tokens.Customer(friend));

        var own = await (await customer.GetAsync($"/v1/customers/{friend}/balance")).ExpectAsync(HttpStatusCode.OK);
        Assert.That(own.GetProperty("balances")[0].Long("available"), Is.EqualTo(1000));
        await (await customer.GetAsync($"/v1/customers/{friend}/transactions")).ExpectAsync(HttpStatusCode.OK);
        await (await customer.PutAsync($"/v1/programs/{program}/customers/{friend}/referral-code", null)).ExpectAsync(HttpStatusCode.Created);

        await (await customer.GetAsync($"/v1/customers/{referrer}/balance")).ExpectProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await customer.GetAsync($"/v1/customers/{referrer}/transactions")).ExpectProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await customer.PutAsync($"/v1/programs/{program}/customers/{referrer}/referral-code", null))
            .ExpectProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Test]
    public async Task A_customer_cannot_act_as_a_merchant()
    {
        var (_, _, friend, redemption) = await Scenario.RewardedPairAsync();
        using var customer = Api.Client(Tokens.Customer(friend));

        await (await customer.PostAsync($"/v1/customers/{friend}/spends", new { amount = 1, currency = "USD", orderId = "o1" }))
            .ExpectProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await customer.PostAsync($"/v1/redemptions/{redemption}/reverse", new { reason = "mine" }))
            .ExpectProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await customer.GetAsync("/v1/reports/trial-balance")).ExpectProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }
}
