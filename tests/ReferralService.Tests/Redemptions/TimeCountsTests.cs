using ReferralService.Tests.Support;

namespace ReferralService.Tests.Redemptions;

/// <summary>What holds and expiry mean to the counts kept elsewhere: a code's uses and its share-link stats.</summary>
internal sealed class TimeCountsTests
{
    [Test]
    public async Task A_first_limit_on_a_partner_code_does_not_count_redemptions_that_expired()
    {
        await using var travel = await TimeTravel.StartAsync();
        using var admin = travel.As(Tokens.Admin);
        using var merchant = travel.As(Tokens.Merchant);
        var program = (await admin.Programs.CreateProgramAsync(new NewProgram("Partner", "USD", null, null, 0, Kind: "partner",
            Offer: Offer.PercentOffer(1000), Commission: new Commission(Amount: 300), QualifyWithinDays: 1)).Created()).Id;
        var code = (await admin.Codes.CreateCodeAsync(program, new NewCode($"EXP{Guid.NewGuid():N}"[..20], OwnerId: Api.NewCustomerId("emily"))).Created()).Code;
        foreach (var i in Enumerable.Range(0, 2))
        {
            await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId($"c{i}"), 5000)).Created();
        }
        travel.Clock.Advance(TimeSpan.FromDays(2));
        Assert.That((await travel.RunPassAsync())[JobKinds.ExpireRedemptions].Done, Is.EqualTo(2));

        // Both uses were given back when they expired: a first limit of 1 leaves room for one more.
        await admin.Codes.UpdateCodeAsync(code, new { maxRedemptions = 1 }).Ok();
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("next"), 5000)).Created();
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("last"), 5000))
            .Refused(System.Net.HttpStatusCode.UnprocessableEntity, "code_exhausted");
        await travel.AssertLedgerSoundAsync();
    }

    [Test]
    public async Task A_held_redemption_counts_as_qualified_in_the_stats_and_its_rewards_as_pending_cost()
    {
        using var admin = Api.Admin();
        var program = (await admin.Programs.CreateProgramAsync(new NewProgram("Held stats", "USD", 2000, 1000, 0, HoldDays: 14)).Created()).Id;
        var code = await Scenario.CodeForAsync(program, Api.NewCustomerId("alice"));
        var redemption = await Scenario.RedeemAsync(code, Api.NewCustomerId("bob"));
        using var merchant = Api.Merchant();
        Assert.That((await merchant.Redemptions.QualifyAsync(redemption.Id, "first-order", 5000).Ok()).Status, Is.EqualTo("held"));

        using var finance = Api.Finance();
        var stats = await finance.Attribution.CodeStatsAsync(code).Ok();

        Assert.That((stats.Redemptions, stats.Qualified, stats.RewardCost, stats.PendingRewardCost), Is.EqualTo((1L, 1L, 0m, 3000m)));
    }
}
