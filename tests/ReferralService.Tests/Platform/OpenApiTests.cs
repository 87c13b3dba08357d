using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Platform;

public sealed class OpenApiTests
{
    private static readonly string Committed = Path.Combine(Repository.Root, "openapi.yaml");

    /// <summary>openapi.yaml is generated from the running service; UPDATE_OPENAPI=1 rewrites it.</summary>
    [Test]
    public async Task The_committed_openapi_yaml_matches_the_running_service()
    {
        using var anonymous = Api.Client(null);
        var response = await anonymous.GetAsync("/swagger/v1/swagger.yaml");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var generated = (await response.Content.ReadAsStringAsync()).ReplaceLineEndings("\n");

        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(Committed, generated);
        }

        Assert.That(File.Exists(Committed), Is.True, "openapi.yaml is missing: run the tests with UPDATE_OPENAPI=1");
        Assert.That((await File.ReadAllTextAsync(Committed)).ReplaceLineEndings("\n"), Is.EqualTo(generated),
            "openapi.yaml is stale: run the tests with UPDATE_OPENAPI=1 and commit it");
    }
}
