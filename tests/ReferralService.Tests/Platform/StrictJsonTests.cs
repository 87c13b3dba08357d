using System.Net;
using System.Text;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Platform;

/// <summary>A money API reads its bodies strictly: a lenient reader turns a client's mistake into a payment.</summary>
public sealed class StrictJsonTests
{
    [Test]
    public async Task An_amount_sent_as_a_string_is_refused_and_nothing_is_spent()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        await RefusedAsync($"/v1/customers/{friend}/spends", """{"amount":"100","currency":"USD","orderId":"o1"}""", "amount");
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((1000L, 0L)));
    }

    [TestCase("/v1/programs", """{"name":"p","currency":"USD","referrerReward":"2000","refereeReward":1000,"minimumOrderAmount":0}""", "referrerReward")]
    [TestCase("/v1/redemptions/0198a8f0-0000-7000-8000-000000000000/qualify", """{"orderId":"o1","orderAmount":"4200"}""", "orderAmount")]
    [TestCase("/v1/customers/alice/spends", """{"amount":1e2,"currency":"USD","orderId":"o1"}""", "amount")]
    public async Task Numbers_are_only_read_from_json_numbers_of_their_type(string path, string json, string field) =>
        await RefusedAsync(path, json, field);

    [TestCase("2026-03-01T08:00:00")]
    [TestCase("2026-03-01")]
    [TestCase("1772352000")]
    [TestCase("next tuesday")]
    public async Task An_instant_without_an_offset_is_refused_rather_than_read_in_the_server_time_zone(string startsAt) =>
        await RefusedAsync("/v1/programs",
            $$"""{"name":"p","currency":"USD","kind":"promo","offer":{"type":"credit","amount":100},"startsAt":"{{startsAt}}"}""", "startsAt");

    [TestCase("2026-03-01T08:00:00Z")]
    [TestCase("2026-03-01T10:00:00.5+02:00")]
    public async Task An_instant_with_an_offset_is_read(string startsAt)
    {
        using var admin = Api.Admin();
        using var body = new StringContent(
            $$"""{"name":"p","currency":"USD","kind":"promo","offer":{"type":"credit","amount":100},"startsAt":"{{startsAt}}"}""",
            Encoding.UTF8, "application/json");

        var program = await admin.Programs.CreateProgramAsync(body).Created();

        Assert.That(program.StartsAt, Is.EqualTo(DateTimeOffset.Parse(startsAt, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task An_unknown_property_is_refused_by_name_and_nothing_is_spent()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        await RefusedAsync($"/v1/customers/{friend}/spends", """{"amount":100,"currency":"USD","orderId":"o1","customerId":"mallory"}""", "customerId");
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((1000L, 0L)));
    }

    [Test]
    public async Task A_property_given_twice_is_refused_and_nothing_is_spent()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        await RefusedAsync($"/v1/customers/{friend}/spends", """{"amount":1,"currency":"USD","orderId":"o1","amount":900}""", "amount");
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((1000L, 0L)));
    }

    [Test]
    public async Task Property_names_are_case_sensitive()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        await RefusedAsync($"/v1/customers/{friend}/spends", """{"Amount":100,"currency":"USD","orderId":"o1"}""", "Amount");
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((1000L, 0L)));
    }

    /// <summary>Posts the JSON text as an admin and expects a 400 validation_failed whose only error names the field.</summary>
    private static async Task RefusedAsync(string path, string json, string field)
    {
        using var admin = Api.Client(Tokens.Admin);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var problem = await (await admin.PostAsync(path, content)).ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(problem.TryGetProperty("errors", out var errors), Is.True, problem.ToString());
        Assert.That(errors.EnumerateObject().Select(error => error.Name), Is.EqualTo(new[] { field }), problem.ToString());
        Assert.That(errors.GetProperty(field)[0].GetString(), Is.Not.Empty);
        Assert.That(problem.GetRawText(), Does.Not.Contain("ReferralService."), "the answer names an internal type");
    }
}
