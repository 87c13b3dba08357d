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
        var created = await admin.Programs.CreateProgramAsync(new NewProgram("Give 10, get 20", "EUR", 2000, 1000, 2500, 3)).Created();

        Assert.That(created.Status, Is.EqualTo("active"));
        using var finance = Api.Finance();
        var read = await finance.Programs.GetProgramAsync(created.Id).Ok();
        Assert.Multiple(() =>
        {
            Assert.That(read.Currency, Is.EqualTo("EUR"));
            Assert.That(read.ReferrerReward, Is.EqualTo(2000));
            Assert.That(read.RefereeReward, Is.EqualTo(1000));
            Assert.That(read.MinimumOrderAmount, Is.EqualTo(2500));
            Assert.That(read.MaxRewardsPerReferrer, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task An_invalid_program_is_refused_naming_the_bad_fields()
    {
        using var admin = Api.Admin();
        var problem = await admin.Programs.CreateProgramAsync(new NewProgram("", "usd", -5, 0, -1))
            .Refused(HttpStatusCode.BadRequest, "validation_failed");

        Assert.That(problem.Errors?.Keys, Is.SupersetOf(ProgramFields));
    }

    [TestCase("{\"name\":")]
    [TestCase("{\"name\":\"x\",\"currency\":\"USD\",\"referrerReward\":10.5,\"refereeReward\":1,\"minimumOrderAmount\":0}")]
    [TestCase("{\"name\":\"x\",\"currency\":\"USD\",\"referrerReward\":99999999999999999999999,\"refereeReward\":1,\"minimumOrderAmount\":0}")]
    [TestCase("[]")]
    public async Task A_malformed_body_is_a_validation_problem_not_a_server_error(string body)
    {
        using var admin = Api.Admin();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        await admin.Programs.CreateProgramAsync(content).Refused(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Test]
    public async Task Pausing_a_program_makes_its_codes_inactive_until_it_is_resumed()
    {
        var program = await Scenario.NewProgramAsync();
        var code = await Scenario.CodeForAsync(program, Api.NewCustomerId("alice"));
        using var admin = Api.Admin();
        using var merchant = Api.Merchant();

        await admin.Programs.UpdateProgramAsync(program, new(Status: "paused")).Ok();
        await merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId("bob")).Refused(HttpStatusCode.UnprocessableEntity, "code_inactive");

        await admin.Programs.UpdateProgramAsync(program, new(Status: "active")).Ok();
        await Scenario.RedeemAsync(code, Api.NewCustomerId("bob"));
    }

    [Test]
    public async Task An_ended_program_cannot_be_reactivated()
    {
        var program = await Scenario.NewProgramAsync();
        using var admin = Api.Admin();
        await admin.Programs.UpdateProgramAsync(program, new(Status: "ended")).Ok();

        await admin.Programs.UpdateProgramAsync(program, new(Status: "active")).Refused(HttpStatusCode.UnprocessableEntity, "invalid_state");
    }

    [Test]
    public async Task Limits_can_be_changed()
    {
        var program = await Scenario.NewProgramAsync();
        using var admin = Api.Admin();

        var updated = await admin.Programs.UpdateProgramAsync(program, new(MaxRewardsPerReferrer: 7, MinimumOrderAmount: 100)).Ok();

        Assert.That(updated.MaxRewardsPerReferrer, Is.EqualTo(7));
        Assert.That(updated.MinimumOrderAmount, Is.EqualTo(100));
        Assert.That(updated.Status, Is.EqualTo("active"));
    }

    [Test]
    public async Task An_unknown_program_is_not_found()
    {
        using var merchant = Api.Merchant();
        await merchant.Programs.GetProgramAsync(Guid.NewGuid()).Refused(HttpStatusCode.NotFound, "not_found");
    }
}
