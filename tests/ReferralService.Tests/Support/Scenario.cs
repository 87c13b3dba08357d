using System.Net;
using System.Text.Json;

namespace ReferralService.Tests.Support;

/// <summary>The steps most tests start from, each with fresh data.</summary>
internal static class Scenario
{
    public static async Task<Guid> NewProgramAsync(long referrerReward = 2000, long refereeReward = 1000,
        long minimumOrderAmount = 0, int? maxRewardsPerReferrer = null, string currency = "USD")
    {
        using var admin = Api.Admin();
        var response = await admin.PostAsync("/v1/programs", new
        {
            name = "Give 10, get 20",
            currency,
            referrerReward,
            refereeReward,
            minimumOrderAmount,
            maxRewardsPerReferrer,
        });
        return (await response.ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    public static async Task<string> CodeForAsync(Guid programId, string customerId)
    {
        using var merchant = Api.Merchant();
        var response = await merchant.PutAsync($"/v1/programs/{programId}/customers/{customerId}/referral-code", null);
        Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.Created, HttpStatusCode.OK));
        return (await response.JsonAsync()).Str("code");
    }

    public static async Task<JsonElement> RedeemAsync(string code, string friendId, string? idempotencyKey = null)
    {
        using var merchant = Api.Merchant();
        var response = await merchant.PostAsync("/v1/redemptions", new { code, customerId = friendId }, idempotencyKey);
        return await response.ExpectAsync(HttpStatusCode.Created);
    }

    public static async Task<JsonElement> QualifyAsync(Guid redemptionId, long orderAmount = 5000, string? orderId = null)
    {
        using var merchant = Api.Merchant();
        var response = await merchant.PostAsync($"/v1/redemptions/{redemptionId}/qualify",
            new { orderId = orderId ?? "order-" + Guid.NewGuid().ToString("N")[..10], orderAmount });
        return await response.ExpectAsync(HttpStatusCode.OK);
    }

    /// <summary>A referrer and a friend, both holding posted credit: (program, referrer, friend, redemption id).</summary>
    public static async Task<(Guid Program, string Referrer, string Friend, Guid Redemption)> RewardedPairAsync(
        long referrerReward = 2000, long refereeReward = 1000)
    {
        var program = await NewProgramAsync(referrerReward, refereeReward);
        var referrer = Api.NewCustomerId("referrer");
        var friend = Api.NewCustomerId("friend");
        var redemption = await RedeemAsync(await CodeForAsync(program, referrer), friend);
        var id = redemption.GetProperty("id").GetGuid();
        await QualifyAsync(id);
        return (program, referrer, friend, id);
    }

    /// <summary>What a customer owes in one currency (a reversal's unsettled shortfall).</summary>
    public static async Task<long> OwedAsync(string customerId, string currency = "USD")
    {
        using var finance = Api.Finance();
        var body = await (await finance.GetAsync($"/v1/customers/{customerId}/balance")).ExpectAsync(HttpStatusCode.OK);
        return body.GetProperty("balances").EnumerateArray().Where(b => b.Str("currency") == currency).Sum(b => b.Long("owed"));
    }

    /// <summary>(available, pending) in one currency.</summary>
    public static async Task<(long Available, long Pending)> BalanceAsync(string customerId, string currency = "USD")
    {
        using var finance = Api.Finance();
        var body = await (await finance.GetAsync($"/v1/customers/{customerId}/balance")).ExpectAsync(HttpStatusCode.OK);
        foreach (var balance in body.GetProperty("balances").EnumerateArray())
        {
            if (balance.Str("currency") == currency)
            {
                return (balance.Long("available"), balance.Long("pending"));
            }
        }
        return (0, 0);
    }
}
