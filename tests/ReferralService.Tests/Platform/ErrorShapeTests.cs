using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Platform;

public sealed class ErrorShapeTests
{
    [Test]
    public async Task An_unknown_route_is_a_not_found_problem()
    {
        using var merchant = Api.Client(Tokens.Merchant);
        await (await merchant.GetAsync("/v1/nothing-here")).ExpectProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Test]
    public async Task A_wrong_method_is_a_method_not_allowed_problem()
    {
        using var admin = Api.Client(Tokens.Admin);
        await (await admin.DeleteAsync($"/v1/programs/{Guid.NewGuid()}")).ExpectProblemAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Test]
    public async Task A_body_that_is_not_json_is_an_unsupported_media_type_problem()
    {
        using var admin = Api.Client(Tokens.Admin);
        using var content = new StringContent("name=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        await (await admin.PostAsync("/v1/programs", content)).ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Test]
    public async Task A_malformed_id_in_the_path_is_not_found()
    {
        using var merchant = Api.Client(Tokens.Merchant);
        await (await merchant.GetAsync("/v1/redemptions/not-a-guid")).ExpectProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [TestCase("has space")]
    [TestCase("this-customer-id-is-far-too-long-to-be-accepted-because-it-exceeds-64")]
    [TestCase("emoji-\u00e9")]
    public async Task A_malformed_customer_id_is_a_validation_problem(string customerId)
    {
        using var finance = Api.Client(Tokens.Finance);
        var response = await finance.GetAsync($"/v1/customers/{Uri.EscapeDataString(customerId)}/balance");
        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Test]
    public async Task An_invalid_body_is_a_validation_problem_whatever_the_client_accepts(
        [Values("application/xml", "text/html", "text/plain")] string accept)
    {
        using var merchant = Api.Client(Tokens.Merchant);
        merchant.DefaultRequestHeaders.Accept.ParseAdd(accept);
        var response = await merchant.PostAsync($"/v1/customers/{Api.NewCustomerId("c")}/spends", new { amount = 0, currency = "USD", orderId = "o1" });
        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(problem.GetProperty("errors").TryGetProperty("amount", out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task A_malformed_body_is_a_validation_problem_whatever_the_client_accepts(
        [Values("application/xml", "text/html", "text/plain")] string accept)
    {
        using var admin = Api.Client(Tokens.Admin);
        admin.DefaultRequestHeaders.Accept.ParseAdd(accept);
        using var content = new StringContent("{\"name\":", System.Text.Encoding.UTF8, "application/json");
        await (await admin.PostAsync("/v1/programs", content)).ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Test]
    public async Task Refusals_by_the_platform_are_problems_whatever_the_client_accepts(
        [Values("application/xml", "text/html", "text/plain")] string accept)
    {
        using var anonymous = Api.Client(null);
        anonymous.DefaultRequestHeaders.Accept.ParseAdd(accept);
        using var customer = Api.Client(Tokens.Customer("someone"));
        customer.DefaultRequestHeaders.Accept.ParseAdd(accept);

        await (await anonymous.GetAsync("/v1/reports/trial-balance")).ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await customer.GetAsync("/v1/reports/trial-balance")).ExpectProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await customer.GetAsync("/v1/nothing-here")).ExpectProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await customer.DeleteAsync($"/v1/programs/{Guid.NewGuid()}")).ExpectProblemAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Test]
    public async Task Every_problem_has_a_type_and_a_title()
    {
        using var anonymous = Api.Client(null);
        using var merchant = Api.Client(Tokens.Merchant);
        var problems = new[]
        {
            await (await anonymous.GetAsync("/v1/reports/trial-balance")).ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized"),
            await (await merchant.GetAsync("/v1/nothing-here")).ExpectProblemAsync(HttpStatusCode.NotFound, "not_found"),
            await (await merchant.GetAsync($"/v1/redemptions/{Guid.NewGuid()}")).ExpectProblemAsync(HttpStatusCode.NotFound, "not_found"),
        };
        foreach (var problem in problems)
        {
            Assert.That(problem.Str("type"), Does.StartWith("https://"), problem.ToString());
            Assert.That(problem.Str("title"), Is.Not.Empty, problem.ToString());
        }
    }

    [Test]
    public async Task Health_reports_live_and_ready_without_a_token()
    {
        using var anonymous = Api.Client(null);
        Assert.That((await anonymous.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await anonymous.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
