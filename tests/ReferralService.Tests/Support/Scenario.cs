using System.Net;

namespace ReferralService.Tests.Support;

/// <summary>The steps most tests start from, each with fresh data.</summary>
internal static class Scenario
{
    public static async Task<Guid> NewProgramAsync(long referrerReward = 2000, long refereeReward = 1000,
        long minimumOrderAmount = 0, int? maxRewardsPerReferrer = null, string currency = "USD")
    {
        using var admin = Api.Admin();
        var program = new NewProgram("Give 10, get 20", currency, referrerReward, refereeReward, minimumOrderAmount, maxRewardsPerReferrer);
        return (await admin.Programs.CreateProgramAsync(program).Created()).Id;
    }

    /// <summary>
    /// A vanity code no other test uses: the prefix and eight consonants (no vowels and no digits, so the suffix
    /// can never spell a word on the deny-list).
    /// </summary>
    public static string NewVanityCode(string prefix) =>
        prefix + new string([.. Enumerable.Range(0, 8).Select(_ => "BCDFGHJKLMNPQRVWXZ"[Random.Shared.Next(18)])]);

    /// <summary>A vanity code created by an admin: its code as stored (upper case).</summary>
    public static async Task<string> VanityCodeAsync(Guid programId, string? ownerId = null, int? maxRedemptions = null,
        DateTimeOffset? expiresAt = null, string prefix = "VIP-")
    {
        using var admin = Api.Admin();
        return (await admin.Codes.CreateCodeAsync(programId, new NewCode(NewVanityCode(prefix), ownerId, maxRedemptions, expiresAt))
            .Created()).Code;
    }

    /// <summary>An order id no other test uses.</summary>
    public static string NewOrderId() => "order-" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>A redemption at checkout of a new order of this amount.</summary>
    public static Checkout Order(string code, string customerId, long orderAmount) => new(code, customerId, NewOrderId(), orderAmount);

    /// <summary>A promo program with this offer and these rules.</summary>
    public static async Task<Guid> NewPromoProgramAsync(Offer offer, int? maxRedemptionsPerCode = null, int? maxRedemptionsPerCustomer = null,
        long? minimumOrderAmount = null, bool? newCustomersOnly = null, DateTimeOffset? startsAt = null, DateTimeOffset? endsAt = null,
        string currency = "USD")
    {
        using var admin = Api.Admin();
        var program = NewProgram.Promo(offer, currency) with
        {
            MaxRedemptionsPerCode = maxRedemptionsPerCode, MaxRedemptionsPerCustomer = maxRedemptionsPerCustomer,
            MinimumOrderAmount = minimumOrderAmount, NewCustomersOnly = newCustomersOnly, StartsAt = startsAt, EndsAt = endsAt,
        };
        return (await admin.Programs.CreateProgramAsync(program).Created()).Id;
    }

    /// <summary>A partner program: this offer for the shopper, this commission for the code's owner.</summary>
    public static async Task<Guid> NewPartnerProgramAsync(Offer offer, Commission commission, int? maxRedemptionsPerCode = null,
        long? minimumOrderAmount = null, string currency = "USD")
    {
        using var admin = Api.Admin();
        var program = NewProgram.Partner(offer, commission, currency) with
        {
            MaxRedemptionsPerCode = maxRedemptionsPerCode, MinimumOrderAmount = minimumOrderAmount,
        };
        return (await admin.Programs.CreateProgramAsync(program).Created()).Id;
    }

    public static async Task<string> CodeForAsync(Guid programId, string customerId)
    {
        using var merchant = Api.Merchant();
        var response = await merchant.Codes.GetOrCreateCodeAsync(programId, customerId);
        return (response.Status == HttpStatusCode.OK ? response.Ok() : response.Created()).Code;
    }

    public static async Task<Redemption> RedeemAsync(string code, string friendId, string? idempotencyKey = null)
    {
        using var merchant = Api.Merchant();
        return await merchant.Redemptions.RedeemAsync(code, friendId, idempotencyKey).Created();
    }

    public static async Task<Redemption> QualifyAsync(Guid redemptionId, long orderAmount = 5000, string? orderId = null)
    {
        using var merchant = Api.Merchant();
        return await merchant.Redemptions.QualifyAsync(redemptionId, orderId ?? "order-" + Guid.NewGuid().ToString("N")[..10], orderAmount).Ok();
    }

    /// <summary>A referrer and a friend, both holding posted credit: (program, referrer, friend, redemption id).</summary>
    public static async Task<(Guid Program, string Referrer, string Friend, Guid Redemption)> RewardedPairAsync(
        long referrerReward = 2000, long refereeReward = 1000)
    {
        var program = await NewProgramAsync(referrerReward, refereeReward);
        var referrer = Api.NewCustomerId("referrer");
        var friend = Api.NewCustomerId("friend");
        var redemption = await RedeemAsync(await CodeForAsync(program, referrer), friend);
        await QualifyAsync(redemption.Id);
        return (program, referrer, friend, redemption.Id);
    }

    /// <summary>What a customer owes in one currency (a reversal's unsettled shortfall).</summary>
    public static async Task<long> OwedAsync(string customerId, string currency = "USD") =>
        (await BalanceInAsync(customerId, currency)).Owed;

    /// <summary>(available, pending) in one currency.</summary>
    public static async Task<(long Available, long Pending)> BalanceAsync(string customerId, string currency = "USD")
    {
        var balance = await BalanceInAsync(customerId, currency);
        return (balance.Available, balance.Pending);
    }

    /// <summary>The balance in one currency (zeros when the customer has none in it).</summary>
    public static async Task<Balance> BalanceInAsync(string customerId, string currency)
    {
        using var finance = Api.Finance();
        var balances = await finance.Credits.GetBalanceAsync(customerId).Ok();
        return balances.Balances.SingleOrDefault(b => b.Currency == currency) ?? new Balance(currency, 0, 0, null, null, null, 0);
    }
}
