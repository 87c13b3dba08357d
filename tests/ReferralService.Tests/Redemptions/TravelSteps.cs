using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Redemptions;

/// <summary>The steps the hold and deadline tests share, on a service of their own (<see cref="TimeTravel"/>).</summary>
internal static class TravelSteps
{
    /// <summary>A referral program with these settings, and its code for a new referrer: (program, referrer, code).</summary>
    public static async Task<(Guid Program, string Referrer, string Code)> ReferralAsync(this TimeTravel travel, NewProgram program)
    {
        using var admin = travel.As(Tokens.Admin);
        var id = (await admin.Programs.CreateProgramAsync(program).Created()).Id;
        var referrer = Api.NewCustomerId("referrer");
        using var merchant = travel.As(Tokens.Merchant);
        var code = (await merchant.Codes.GetOrCreateCodeAsync(id, referrer).Created()).Code;
        return (id, referrer, code);
    }

    /// <summary>The balance in USD; zeros when the customer has no account.</summary>
    public static async Task<Balance> BalanceAsync(this TimeTravel travel, string customerId)
    {
        using var finance = travel.As(Tokens.Finance);
        var balances = await finance.Credits.GetBalanceAsync(customerId).Ok();
        return balances.Balances.SingleOrDefault(b => b.Currency == "USD") ?? new Balance("USD", 0, 0, null, null, null, 0);
    }

    public static async Task<Redemption> RedemptionAsync(this TimeTravel travel, Guid redemptionId)
    {
        using var finance = travel.As(Tokens.Finance);
        return await finance.Redemptions.GetRedemptionAsync(redemptionId).Ok();
    }

    /// <summary>One pass of the job runner (POST /v1/jobs/run) at the travelled clock's now: (held redemptions posted, redemptions expired).</summary>
    public static async Task<(int Posted, int Expired)> RunRedemptionJobsAsync(this TimeTravel travel)
    {
        var pass = await travel.RunPassAsync();
        return (pass[JobKinds.PostHeldRewards].Done, pass[JobKinds.ExpireRedemptions].Done);
    }

    /// <summary>DESIGN.md invariants 1-3 over the travelled database, through the finance report.</summary>
    public static async Task AssertLedgerSoundAsync(this TimeTravel travel)
    {
        using var finance = travel.As(Tokens.Finance);
        var check = await finance.Reports.LedgerCheckAsync().Ok();
        Assert.That(check.Ok, Is.True, string.Join("\n", check.Violations));
        var trial = await finance.Reports.TrialBalanceAsync().Ok();
        Assert.That(trial.Balanced, Is.True, string.Join("\n", trial.Currencies));
    }

    public static Task<Problem> RefusedAsync<T>(this Task<Response<T>> response, string code) =>
        response.Refused(HttpStatusCode.UnprocessableEntity, code);
}
