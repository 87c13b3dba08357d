using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Links;

/// <summary>POST /v1/attributions/claim: a fresh install's claim of the click that brought it.</summary>
public sealed class AttributionClaimTests
{
    [Test]
    public async Task A_claim_by_click_id_answers_the_clicks_code()
    {
        var program = await Scenario.NewProgramAsync();
        var code = await Scenario.CodeForAsync(program, Api.NewCustomerId("alice"));
        var click = await Clicks.InsertAsync(code, program, DateTimeOffset.UtcNow.AddDays(-3), platform: "android");
        using var app = Api.As(Tokens.Customer(Api.NewCustomerId("bob")));

        var claim = await app.Attribution.ClaimAsync(click).Ok();

        Assert.That(claim, Is.EqualTo(new AttributionClaim(code, click, "click_id")));
    }

    [Test]
    public async Task A_customers_second_claim_answers_the_first()
    {
        var program = await Scenario.NewProgramAsync();
        var code = await Scenario.CodeForAsync(program, Api.NewCustomerId("alice"));
        var otherCode = await Scenario.CodeForAsync(program, Api.NewCustomerId("dave"));
        var first = await Clicks.InsertAsync(code, program, DateTimeOffset.UtcNow.AddMinutes(-3));
        var second = await Clicks.InsertAsync(otherCode, program, DateTimeOffset.UtcNow.AddMinutes(-2));
        using var app = Api.As(Tokens.Customer(Api.NewCustomerId("bob")));

        await app.Attribution.ClaimAsync(first).Ok();
        var again = await app.Attribution.ClaimAsync(second).Ok();
        var byFingerprint = await app.Attribution.ClaimAsync("ios", "17.4").Ok();

        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(new AttributionClaim(code, first, "click_id")));
            Assert.That(byFingerprint, Is.EqualTo(new AttributionClaim(code, first, "click_id")));
        });
    }

    [Test]
    public async Task A_click_id_that_names_no_click_matches_nothing()
    {
        using var app = Api.As(Tokens.Customer(Api.NewCustomerId("bob")));

        await app.Attribution.ClaimAsync(Guid.CreateVersion7()).Refused(HttpStatusCode.NotFound, "not_found");
    }

    [TestCase("""{"clickId":"0193b5a4-0000-7000-8000-000000000000","platform":"ios"}""", "clickId")]
    [TestCase("""{}""", "clickId")]
    [TestCase("""{"platform":"windows"}""", "Platform")]
    [TestCase("""{"platform":"ios","osVersion":"17.4; DROP"}""", "OsVersion")]
    public async Task A_claim_needs_a_click_id_or_a_platform_and_a_well_formed_os_version(string body, string field)
    {
        using var http = Api.Client(Tokens.Customer(Api.NewCustomerId("bob")));

        var response = await http.PostAsync("/v1/attributions/claim", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name),
            Has.Some.EqualTo(field).IgnoreCase);
    }

    [Test]
    public async Task Only_a_customer_token_claims()
    {
        using var merchant = Api.Merchant();

        var response = await merchant.Attribution.ClaimAsync("ios", "17.4");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
