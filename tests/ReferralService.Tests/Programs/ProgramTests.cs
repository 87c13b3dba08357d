using System.Net.Http.Json;
using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Programs;

public sealed class ProgramTests
{
    private static readonly string[] ProgramFields = ["name", "currency", "referrerReward", "refereeReward", "minimumOrderAmount"];

    [Test]
    public async Task Creating_a_program_returns_it_active_and_readable()
    {
        using var admin = Api.Admin();
        var created = await (await admin.PostAsync("/v1/programs", new
        {
            name = "Give 10, get 20", currency = "EUR", referrerReward = 2000, refereeReward = 1000, minimumOrderAmount = 2500, maxRewardsPerReferrer = 3,
        })).ExpectAsync(HttpStatusCode.Created);

        Assert.That(created.Str("status"), Is.EqualTo("active"));
        using var finance = Api.Finance();
        var read = await (await finance.GetAsync($"/v1/programs/{created.Str("id")}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(read.Str("currency"), Is.EqualTo("EUR"));
            Assert.That(read.Long("referrerReward"), Is.EqualTo(2000));
            Assert.That(read.Long("refereeReward"), Is.EqualTo(1000));
            Assert.That(read.Long("minimumOrderAmount"), Is.EqualTo(2500));
            Assert.That(read.GetProperty("maxRewardsPerReferrer").GetInt32(), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task An_invalid_program_is_refused_naming_the_bad_fields()
    {
        using var admin = Api.Admin();
        var response = await admin.PostAsync("/v1/programs", new { name = "", currency = "usd", referrerReward = -5, refereeReward = 0, minimumOrderAmount = -1 });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(fields, Is.SupersetOf(ProgramFields));
    }

    [TestCase("{\"name\":")]
    [TestCase("{\"name\":\"x\",\"currency\":\"USD\",\"referrerReward\":10.5,\"refereeReward\":1,\"minimumOrderAmount\":0}")]
    [TestCase("{\"name\":\"x\",\"currency\":\"USD\",\"referrerReward\":99999999999999999999999,\"refereeReward\":1,\"minimumOrderAmount\":0}")]
    [TestCase("[]")]
    public async Task A_malformed_body_is_a_validation_problem_not_a_server_error(string body)
    {
        using var admin = Api.Admin();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await admin.PostAsync("/v1/programs", content);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Test]
    public async Task Pausing_a_program_makes_its_codes_inactive_until_it_is_resumed()
    {
        var program = await Scenario.NewProgramAsync();
        var code = await Scenario.CodeForAsync(program, Api.NewCustomerId("alice"));
        using var admin = Api.Admin();
        using var merchant = Api.Merchant();

        await (await admin.PatchAsJsonAsync($"/v1/programs/{program}", new { status = "paused" })).ExpectAsync(HttpStatusCode.OK);
        var refused = await merchant.PostAsync("/v1/redemptions", new { code, customerId = Api.NewCustomerId("bob") });
        await refused.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "code_inactive");

        await (await admin.PatchAsJsonAsync($"/v1/programs/{program}", new { status = "active" })).ExpectAsync(HttpStatusCode.OK);
        await Scenario.RedeemAsync(code, Api.NewCustomerId("bob"));
    }

    [Test]
    public async Task An_ended_program_cannot_be_reactivated()
    {
        var program = await Scenario.NewProgramAsync();
        using var admin = Api.Admin();
        await (await admin.PatchAsJsonAsync($"/v1/programs/{program}", new { status = "ended" })).ExpectAsync(HttpStatusCode.OK);

        var response = await admin.PatchAsJsonAsync($"/v1/programs/{program}", new { status = "active" });

        await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_state");
    }

    [Test]
    public async Task Limits_can_be_changed()
    {
        var program = await Scenario.NewProgramAsync();
        using var admin = Api.Admin();

        var updated = await (await admin.PatchAsJsonAsync($"/v1/programs/{program}", new { maxRewardsPerReferrer = 7, minimumOrderAmount = 100 }))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.That(updated.GetProperty("maxRewardsPerReferrer").GetInt32(), Is.EqualTo(7));
        Assert.That(updated.Long("minimumOrderAmount"), Is.EqualTo(100));
        Assert.That(updated.Str("status"), Is.EqualTo("active"));
    }

    [Test]
    public async Task An_unknown_program_is_not_found()
    {
        using var merchant = Api.Merchant();
        var response = await merchant.GetAsync($"/v1/programs/{Guid.NewGuid()}");
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}
