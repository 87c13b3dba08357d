namespace ReferralService.Tests.Support;

internal static class Ledger
{
    /// <summary>DESIGN.md invariants 1-3 over the whole database, through the finance report.</summary>
    public static async Task AssertSoundAsync()
    {
        using var finance = Api.Finance();
        var check = await finance.Reports.LedgerCheckAsync().Ok();
        Assert.That(check.Ok, Is.True, string.Join("\n", check.Violations));
        var trial = await finance.Reports.TrialBalanceAsync().Ok();
        Assert.That(trial.Balanced, Is.True, string.Join("\n", trial.Currencies));
    }
}
