using System.Net;
using Microsoft.AspNetCore.Hosting;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Platform;

public sealed class RateLimitTests
{
    [Test]
    public async Task Code_validation_is_limited_per_caller_so_guessing_codes_is_useless()
    {
        await using var limited = new ServiceFactory(TestRun.Database, TestRun.Database.ConnectionString)
            .WithWebHostBuilder(builder => builder.UseSetting("RateLimits:CodeValidationsPerMinute", "3"));
        using var guesser = limited.CreateClient();
        guesser.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For("merchant", "guesser"));
        using var other = limited.CreateClient();
        other.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For("merchant", "honest-shop"));

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
}
