using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Redemptions;

/// <summary>
/// Discounts and commissions at their edges, through redeem and its dry run alike: a percentage is
/// floor(orderAmount x basisPoints / 10000), then capped by its maximum, then by orderAmount; an amount off is
/// min(amountOff, orderAmount); amounts over 10^12 are refused by validation before any arithmetic.
/// </summary>
public sealed class ArithmeticTests
{
    private static async Task<long> DiscountAsync(Offer offer, long orderAmount)
    {
        var program = await Scenario.NewPromoProgramAsync(offer);
        var code = await Scenario.VanityCodeAsync(program, prefix: "EDGE-");
        var checkout = Scenario.Order(code, Api.NewCustomerId("bob"), orderAmount);
        using var merchant = Api.Merchant();

        var dryRun = await merchant.Codes.CheckCodeAsync(checkout).Ok();
        var redemption = await merchant.Redemptions.RedeemAsync(checkout).Created();

        Assert.That(dryRun.Discount, Is.EqualTo(redemption.Discount), "the dry run computes what redeem records");
        return redemption.Discount;
    }

    [TestCase(10000, 1, ExpectedResult = 1, Description = "one minor unit, all of it")]
    [TestCase(5000, 1, ExpectedResult = 0, Description = "half of one minor unit rounds down")]
    [TestCase(3333, 3, ExpectedResult = 0, Description = "9999/10000 rounds down")]
    [TestCase(3333, 4, ExpectedResult = 1, Description = "13332/10000")]
    [TestCase(2500, 999, ExpectedResult = 249)]
    [TestCase(1, 9999, ExpectedResult = 0)]
    [TestCase(1, 10000, ExpectedResult = 1)]
    [TestCase(10000, 1_000_000_000_000, ExpectedResult = 1_000_000_000_000, Description = "the largest product, 10^16, fits")]
    [TestCase(9999, 1_000_000_000_000, ExpectedResult = 999_900_000_000)]
    public async Task<long> A_percentage_discount_rounds_down(int percentOff, long orderAmount) =>
        await DiscountAsync(Offer.PercentOffer(percentOff), orderAmount);

    [TestCase(2500, 500, 1999, ExpectedResult = 499, Description = "under the cap")]
    [TestCase(2500, 500, 2000, ExpectedResult = 500, Description = "at the cap")]
    [TestCase(2500, 500, 1_000_000_000_000, ExpectedResult = 500, Description = "far over the cap")]
    public async Task<long> A_percentage_discount_is_capped_by_its_maximum(int percentOff, long maxDiscount, long orderAmount) =>
        await DiscountAsync(Offer.PercentOffer(percentOff, maxDiscount), orderAmount);

    [TestCase(1000, 300, ExpectedResult = 300, Description = "never more than the order")]
    [TestCase(1000, 1000, ExpectedResult = 1000)]
    [TestCase(1000, 1001, ExpectedResult = 1000)]
    [TestCase(1000, 0, ExpectedResult = 0, Description = "an empty order gets nothing off")]
    public async Task<long> An_amount_off_is_capped_by_the_order(long amountOff, long orderAmount) =>
        await DiscountAsync(Offer.AmountOffer(amountOff), orderAmount);

    [TestCase(1234, 5000, 10_000, ExpectedResult = 1234)]
    [TestCase(1234, 5000, 1_000_000, ExpectedResult = 5000, Description = "capped by its maximum")]
    [TestCase(3333, null, 3, ExpectedResult = 0, Description = "rounds down to nothing: no ledger leg")]
    [TestCase(3333, null, 4, ExpectedResult = 1)]
    public async Task<long> A_percentage_commission_rounds_down_and_is_capped(int basisPoints, long? max, long orderAmount)
    {
        var program = await Scenario.NewPartnerProgramAsync(Offer.PercentOffer(100), new Commission(BasisPoints: basisPoints, Max: max));
        var emily = Api.NewCustomerId("emily");
        var code = await Scenario.VanityCodeAsync(program, emily, prefix: "EDGE-");
        using var merchant = Api.Merchant();

        var redemption = await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("bob"), orderAmount)).Created();
        await merchant.Redemptions.QualifyAsync(redemption.Id, redemption.OrderId!, orderAmount).Ok();

        var commission = redemption.Rewards.SingleOrDefault(r => r.Role == "referrer")?.Amount ?? 0;
        Assert.That(await Scenario.BalanceAsync(emily), Is.EqualTo((commission, 0L)));
        await Ledger.AssertSoundAsync();
        return commission;
    }

    [Test]
    public async Task An_order_amount_over_the_amount_limit_is_refused_before_any_arithmetic()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.PercentOffer(10000));
        var code = await Scenario.VanityCodeAsync(program, prefix: "EDGE-");
        using var merchant = Api.Merchant();

        var problem = await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("bob"), 1_000_000_000_001))
            .Refused(HttpStatusCode.BadRequest, "validation_failed");
        await merchant.Codes.CheckCodeAsync(Scenario.Order(code, Api.NewCustomerId("bob"), 1_000_000_000_001))
            .Refused(HttpStatusCode.BadRequest, "validation_failed");

        Assert.That(problem.Errors!.Keys, Has.Some.EqualTo("orderAmount").IgnoreCase);
    }
}
