using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Platform;

public sealed class RateLimitTests
{
    [Test]
    public async Task Code_validation_is_limited_per_caller_so_guessing_codes_is_useless()
    {
        await using var limited = Api.ServiceWith("RateLimits:CodeValidationsPerMinute", "3");
        using var guesser = limited.As(Tokens.For("merchant", "guesser"));
        using var other = limited.As(Tokens.For("merchant", "honest-shop"));

        for (var i = 0; i < 3; i++)
        {
            await guesser.Codes.CheckCodeAsync($"GUESS{i}").Refused(HttpStatusCode.NotFound, "code_not_found");
        }

        var problem = AssertLimited(await guesser.Codes.CheckCodeAsync("GUESS9"));
        Assert.That(problem.Type, Does.StartWith("https://"));
        await other.Codes.CheckCodeAsync("GUESS9").Refused(HttpStatusCode.NotFound, "code_not_found");
    }

    [Test]
    public async Task Failed_code_lookups_share_one_budget_per_caller_across_validation_and_redemption()
    {
        var code = await Scenario.CodeForAsync(await Scenario.NewProgramAsync(), Api.NewCustomerId("alice"));
        await using var limited = Api.ServiceWith("RateLimits:FailedCodeLookupsPerMinute", "3");
        using var guesser = limited.As(Tokens.For("merchant", "redemption-guesser"));
        using var other = limited.As(Tokens.For("merchant", "another-shop"));

        for (var i = 0; i < 5; i++)
        {
            await guesser.Codes.CheckCodeAsync(code).Ok(); // a code that exists costs nothing
        }
        await guesser.Codes.CheckCodeAsync("GUESS1").Refused(HttpStatusCode.NotFound, "code_not_found");
        await guesser.Redemptions.RedeemAsync("GUESS2", "f1").Refused(HttpStatusCode.NotFound, "code_not_found");
        await guesser.Redemptions.RedeemAsync("GUESS3", "f1").Refused(HttpStatusCode.NotFound, "code_not_found");

        AssertLimited(await guesser.Redemptions.RedeemAsync("GUESS4", "f1"));
        AssertLimited(await guesser.Codes.CheckCodeAsync("GUESS5"));
        AssertLimited(await guesser.Codes.CheckCodeAsync(code));
        await other.Redemptions.RedeemAsync("GUESS6", "f1").Refused(HttpStatusCode.NotFound, "code_not_found");
    }

    private static Problem AssertLimited<T>(Response<T> response)
    {
        var problem = response.Refused(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        return problem;
    }
}
