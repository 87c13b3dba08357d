using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Platform;

public sealed class RateLimitTests
{
    [Test]
    public async Task Code_validation_is_limited_per_caller_so_guessing_codes_is_useless()
    {
        await using var limited = Api.ServiceWith("RateLimits:CodeValidationsPerMinute", "3");
        using var guesser = limited.Client(Tokens.For("merchant", "guesser"));
        using var other = limited.Client(Tokens.For("merchant", "honest-shop"));

        for (var i = 0; i < 3; i++)
        {
            await (await guesser.GetAsync($"/v1/codes/GUESS{i}")).ExpectProblemAsync(HttpStatusCode.NotFound, "code_not_found");
        }

        var refused = await guesser.GetAsync("/v1/codes/GUESS9");
        var problem = await refused.ExpectProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(problem.Str("type"), Does.StartWith("https://"));
        await (await other.GetAsync("/v1/codes/GUESS9")).ExpectProblemAsync(HttpStatusCode.NotFound, "code_not_found");
    }

    [Test]
    public async Task Failed_code_lookups_share_one_budget_per_caller_across_validation_and_redemption()
    {
        var code = await Scenario.CodeForAsync(await Scenario.NewProgramAsync(), Api.NewCustomerId("alice"));
        await using var limited = Api.ServiceWith("RateLimits:FailedCodeLookupsPerMinute", "3");
        using var guesser = limited.Client(Tokens.For("merchant", "redemption-guesser"));
        using var other = limited.Client(Tokens.For("merchant", "another-shop"));

        for (var i = 0; i < 5; i++)
        {
            await (await guesser.GetAsync($"/v1/codes/{code}")).ExpectAsync(HttpStatusCode.OK); // a code that exists costs nothing
        }
        await (await guesser.GetAsync("/v1/codes/GUESS1")).ExpectProblemAsync(HttpStatusCode.NotFound, "code_not_found");
        await (await guesser.PostAsync("/v1/redemptions", new { code = "GUESS2", customerId = "f1" })).ExpectProblemAsync(HttpStatusCode.NotFound, "code_not_found");
        await (await guesser.PostAsync("/v1/redemptions", new { code = "GUESS3", customerId = "f1" })).ExpectProblemAsync(HttpStatusCode.NotFound, "code_not_found");

        foreach (var refused in new[]
                 {
                     await guesser.PostAsync("/v1/redemptions", new { code = "GUESS4", customerId = "f1" }),
                     await guesser.GetAsync("/v1/codes/GUESS5"),
                     await guesser.GetAsync($"/v1/codes/{code}"),
                 })
        {
            await refused.ExpectProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
            Assert.That(refused.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        }
        await (await other.PostAsync("/v1/redemptions", new { code = "GUESS6", customerId = "f1" })).ExpectProblemAsync(HttpStatusCode.NotFound, "code_not_found");
    }
}
