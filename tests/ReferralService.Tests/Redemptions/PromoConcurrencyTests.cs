using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Redemptions;

/// <summary>Promo limits under parallel checkouts: each is held exactly, and the ledger stays sound.</summary>
public sealed class PromoConcurrencyTests
{
    [Test]
    public async Task Parallel_redemptions_of_a_code_never_pass_its_limit()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.Credit(10), maxRedemptionsPerCode: 100);
        var code = await Scenario.VanityCodeAsync(program, prefix: "RUSH-");
        using var merchant = Api.Merchant();

        var responses = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ =>
            merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("c"), 1000))));

        Assert.That(responses.Count(r => r.Status == HttpStatusCode.Created), Is.EqualTo(100));
        Assert.That(responses.Where(r => r.Status != HttpStatusCode.Created).Select(r => r.Refused(HttpStatusCode.UnprocessableEntity).Code),
            Is.EqualTo(Enumerable.Repeat("code_exhausted", 200)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task Parallel_uses_by_one_customer_never_pass_the_per_customer_limit()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.Credit(10), maxRedemptionsPerCustomer: 1);
        var code = await Scenario.VanityCodeAsync(program, prefix: "ONCE-");
        var bob = Api.NewCustomerId("bob");
        using var merchant = Api.Merchant();

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            merchant.Redemptions.RedeemAsync(Scenario.Order(code, bob, 1000))));

        Assert.That(responses.Count(r => r.Status == HttpStatusCode.Created), Is.EqualTo(1));
        Assert.That(responses.Where(r => r.Status != HttpStatusCode.Created).Select(r => r.Refused(HttpStatusCode.UnprocessableEntity).Code),
            Is.EqualTo(Enumerable.Repeat("customer_limit_reached", 49)));
        Assert.That(await Scenario.BalanceAsync(bob), Is.EqualTo((10L, 0L)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task Parallel_redemptions_and_reversals_keep_the_limit_and_the_ledger()
    {
        var emily = Api.NewCustomerId("emily");
        var program = await Scenario.NewPartnerProgramAsync(Offer.Credit(50), new Commission(BasisPoints: 1000), maxRedemptionsPerCode: 20);
        var code = await Scenario.VanityCodeAsync(program, emily, prefix: "MIX-");
        using var merchant = Api.Merchant();
        var first = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("c"), 1000)).Created()));

        // Ten orders are cancelled while forty more checkouts race for the ten uses they give back.
        var reversals = first.Take(10).Select(r => merchant.Redemptions.ReverseAsync(r.Id, "cancelled").Ok());
        var qualifications = first.Skip(10).Select(r => merchant.Redemptions.QualifyAsync(r.Id, r.OrderId!, 1000).Ok());
        var rush = Enumerable.Range(0, 40).Select(_ => merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("c"), 1000)));
        var rushed = Task.WhenAll(rush);
        await Task.WhenAll(Task.WhenAll(reversals), Task.WhenAll(qualifications), rushed);

        var created = (await rushed).Count(r => r.Status == HttpStatusCode.Created);
        Assert.That(created, Is.LessThanOrEqualTo(10));
        // Whatever the interleaving, the uses left are exactly the limit less the live redemptions.
        var extra = await Task.WhenAll(Enumerable.Range(0, 15).Select(_ =>
            merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("c"), 1000))));
        Assert.That(created + extra.Count(r => r.Status == HttpStatusCode.Created), Is.EqualTo(10));
        await Ledger.AssertSoundAsync();
    }
}
