using System.Net;

namespace ReferralService.Tests.Support;

internal static class Ledger
{
    /// <summary>DESIGN.md invariants 1-3 over the whole database, through the finance report.</summary>
    public static async Task AssertSoundAsync()
    {
        using var finance = Api.Finance();
        var check = await (await finance.GetAsync("/v1/reports/ledger-check")).ExpectAsync(HttpStatusCode.OK);
        Assert.That(check.GetProperty("ok").GetBoolean(), Is.True, check.ToString());
        var trial = await (await finance.GetAsync("/v1/reports/trial-balance")).ExpectAsync(HttpStatusCode.OK);
        Assert.That(trial.GetProperty("balanced").GetBoolean(), Is.True, trial.ToString());
    }
}
