using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Credits;

/// <summary>Credit lots: spending takes the credit that expires soonest first; a reversed spend gives back to its lots.</summary>
internal sealed class LotTests
{
    [Test]
    public async Task Credit_is_spent_from_the_lot_expiring_soonest_first_and_from_credit_without_expiry_last()
    {
        using var admin = Api.Admin();
        using var merchant = Api.Merchant();
        using var finance = Api.Finance();
        var customer = Api.NewCustomerId("holder");
        var (_, month) = await Gifts.ProgramAsync(admin, 1000, creditExpiryDays: 30);
        var (_, forever) = await Gifts.ProgramAsync(admin, 1000, creditExpiryDays: null);
        var (_, week) = await Gifts.ProgramAsync(admin, 1000, creditExpiryDays: 7);
        var before = DateTimeOffset.UtcNow;
        // Granted in another order than they expire: the order of grants decides nothing.
        foreach (var code in new[] { month, forever, week })
        {
            await Gifts.GiveAsync(merchant, code, customer);
        }
        var after = DateTimeOffset.UtcNow;

        var start = await Gifts.BalanceAsync(finance, customer);
        Assert.That((start.Available, start.Expiring), Is.EqualTo((3000L, (long?)1000)));
        Assert.That(start.ExpiresAt, Is.InRange(before.AddDays(7), after.AddDays(7)), "the week's lot expires next");

        // The week's 1000, then 500 of the month's.
        Assert.That((await merchant.Credits.SpendAsync(customer, 1500, Scenario.NewOrderId()).Created()).BalanceAfter, Is.EqualTo(1500));
        var partly = await Gifts.BalanceAsync(finance, customer);
        Assert.That((partly.Available, partly.Expiring), Is.EqualTo((1500L, (long?)500)));
        Assert.That(partly.ExpiresAt, Is.InRange(before.AddDays(30), after.AddDays(30)), "the week's lot is spent, the month's is next");

        // The month's last 500: what is left never expires.
        await merchant.Credits.SpendAsync(customer, 500, Scenario.NewOrderId()).Created();
        var lasting = await Gifts.BalanceAsync(finance, customer);
        Assert.That((lasting.Available, lasting.Expiring, lasting.ExpiresAt), Is.EqualTo((1000L, (long?)null, (DateTimeOffset?)null)));

        await merchant.Credits.SpendAsync(customer, 1000, Scenario.NewOrderId()).Created();
        Assert.That((await Gifts.BalanceAsync(finance, customer)).Available, Is.Zero);
        await merchant.Credits.SpendAsync(customer, 1, Scenario.NewOrderId()).Refused(HttpStatusCode.UnprocessableEntity, "insufficient_credit");
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task Reversing_a_reward_takes_back_what_is_left_of_its_own_lot_first()
    {
        using var admin = Api.Admin();
        using var merchant = Api.Merchant();
        using var finance = Api.Finance();
        var customer = Api.NewCustomerId("reversed");
        var (_, week) = await Gifts.ProgramAsync(admin, 1000, creditExpiryDays: 7);
        var (_, month) = await Gifts.ProgramAsync(admin, 1000, creditExpiryDays: 30);
        var before = DateTimeOffset.UtcNow;
        await Gifts.GiveAsync(merchant, week, customer);
        var after = DateTimeOffset.UtcNow;
        var monthGift = await Gifts.GiveAsync(merchant, month, customer);
        await merchant.Credits.SpendAsync(customer, 300, Scenario.NewOrderId()).Created(); // from the week's lot

        await merchant.Redemptions.ReverseAsync(monthGift.Id, "refund").Ok();

        // The month's whole lot goes back, though the week's expires sooner: the week's 700 are left.
        var balance = await Gifts.BalanceAsync(finance, customer);
        Assert.That((balance.Available, balance.Expiring, balance.Owed), Is.EqualTo((700L, (long?)700, 0L)));
        Assert.That(balance.ExpiresAt, Is.InRange(before.AddDays(7), after.AddDays(7)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task A_spend_reversed_after_one_of_its_lots_expired_sends_that_part_to_breakage_and_the_rest_back_to_its_lot()
    {
        await using var travel = await TimeTravel.StartAsync();
        using var admin = travel.As(Tokens.Admin);
        using var merchant = travel.As(Tokens.Merchant);
        using var finance = travel.As(Tokens.Finance);
        var customer = Api.NewCustomerId("returner");
        var (weekProgram, week) = await Gifts.ProgramAsync(admin, 1000, creditExpiryDays: 7);
        var (monthProgram, month) = await Gifts.ProgramAsync(admin, 1000, creditExpiryDays: 30);
        var before = travel.Clock.GetUtcNow();
        var weekGift = await Gifts.GiveAsync(merchant, week, customer);
        await Gifts.GiveAsync(merchant, month, customer);
        var after = travel.Clock.GetUtcNow();
        // All of the week's lot and 500 of the month's.
        var spend = await merchant.Credits.SpendAsync(customer, 1500, Scenario.NewOrderId()).Created();

        travel.Clock.Advance(TimeSpan.FromDays(8));
        Assert.That((await travel.RunPassAsync())[JobKinds.ExpireCreditLots].Done, Is.Zero, "the week's lot held nothing to expire");
        var reversed = await merchant.Credits.ReverseSpendAsync(spend.Id).Ok();

        Assert.That(reversed.BalanceAfter, Is.EqualTo(1000), "the week's 1000 came back expired");
        var balance = await Gifts.BalanceAsync(finance, customer);
        Assert.That((balance.Available, balance.Expiring), Is.EqualTo((1000L, (long?)1000)), "the month's lot is whole again");
        Assert.That(balance.ExpiresAt, Is.InRange(before.AddDays(30), after.AddDays(30)), "with its own expiry");
        Assert.That(await Gifts.BreakageAsync(travel, weekProgram), Is.EqualTo(1000));
        Assert.That(await Gifts.BreakageAsync(travel, monthProgram), Is.Zero);
        var statement = (await finance.Credits.ListTransactionsAsync(customer).Ok()).Data;
        Assert.That(statement.Take(2).Select(t => (t.Kind, t.Amount, t.RedemptionId, t.SpendId)), Is.EqualTo(new[]
        {
            ("expiry", -1000L, (Guid?)weekGift.Id, (Guid?)null),
            ("spend_reversal", 1500L, null, spend.Id),
        }));
        await Gifts.AssertLedgerSoundAsync(finance);

        // Spending again takes the month's lot: nothing of the expired one is left to spend.
        await merchant.Credits.SpendAsync(customer, 1001, Scenario.NewOrderId()).Refused(HttpStatusCode.UnprocessableEntity, "insufficient_credit");
        await merchant.Credits.SpendAsync(customer, 1000, Scenario.NewOrderId()).Created();
        await Gifts.AssertLedgerSoundAsync(finance);
    }
}
