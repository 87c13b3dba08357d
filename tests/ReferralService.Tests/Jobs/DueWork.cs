using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Jobs;

/// <summary>Due work made through the API on a TimeTravel database: many qualified redemptions of one program.</summary>
internal static class DueWork
{
    /// <summary>
    /// A referral program (2000 to the referrer, 1000 to the friend) with these time settings, and
    /// <paramref name="referrers"/> × <paramref name="friendsEach"/> redemptions, each qualified: with a hold they are
    /// held, without one each posts two credit lots. Answers the program id.
    /// </summary>
    public static async Task<Guid> QualifiedAsync(TimeTravel travel, int referrers, int friendsEach, int? holdDays, int? creditExpiryDays)
    {
        using var admin = travel.As(Tokens.Admin);
        var program = (await admin.Programs.CreateProgramAsync(
            new NewProgram("Due work", "USD", 2000, 1000, 0, HoldDays: holdDays, CreditExpiryDays: creditExpiryDays)).Created()).Id;

        var run = Guid.NewGuid().ToString("N")[..8];
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, referrers).Select(async r =>
        {
            using var merchant = travel.As(Tokens.Merchant);
            await gate.WaitAsync();
            try
            {
                var response = await merchant.Codes.GetOrCreateCodeAsync(program, $"ref-{run}-{r}");
                var code = (response.Status == HttpStatusCode.OK ? response.Ok() : response.Created()).Code;
                for (var f = 0; f < friendsEach; f++)
                {
                    var redemption = await merchant.Redemptions.RedeemAsync(code, $"friend-{run}-{r}-{f}").Created();
                    var qualified = await merchant.Redemptions.QualifyAsync(redemption.Id, $"order-{run}-{r}-{f}", 5000).Ok();
                    Assert.That(qualified.Status, Is.EqualTo(holdDays is null ? "rewarded" : "held"));
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        return program;
    }
}
