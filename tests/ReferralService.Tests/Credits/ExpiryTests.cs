using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Credits;

/// <summary>Credit past its program's creditExpiryDays moves to the program's breakage account, as a transfer the statement shows.</summary>
internal sealed class ExpiryTests
{
    [Test]
    public async Task Expired_credit_moves_to_the_programs_breakage_account_when_the_runner_runs_and_the_trial_balance_still_balances()
    {
        await using var travel = await TimeTravel.StartAsync();
        using var admin = travel.As(Tokens.Admin);
        using var merchant = travel.As(Tokens.Merchant);
        using var finance = travel.As(Tokens.Finance);
        var customer = Api.NewCustomerId("expiring");
        var (program, expiring) = await Gifts.ProgramAsync(admin, 1000, creditExpiryDays: 10);
        var (_, lasting) = await Gifts.ProgramAsync(admin, 500, creditExpiryDays: null);
        var gift = await Gifts.GiveAsync(merchant, expiring, customer);
        await Gifts.GiveAsync(merchant, lasting, customer);
        Assert.That((await Gifts.BalanceAsync(finance, customer)).Available, Is.EqualTo(1500));

        travel.Clock.Advance(TimeSpan.FromDays(10) + TimeSpan.FromMinutes(1));
        // Due, not yet expired by the runner: no longer available, and nothing expires next.
        var due = await Gifts.BalanceAsync(finance, customer);
        Assert.That((due.Available, due.Expiring, due.ExpiresAt), Is.EqualTo((500L, (long?)null, (DateTimeOffset?)null)));
        Assert.That(await Gifts.BreakageAsync(travel, program), Is.Zero);

        var pass = await travel.RunPassAsync();

        Assert.That(pass[JobKinds.ExpireCreditLots].Done, Is.EqualTo(1));
        Assert.That((await Gifts.BalanceAsync(finance, customer)).Available, Is.EqualTo(500));
        var newest = (await finance.Credits.ListTransactionsAsync(customer, limit: 1).Ok()).Data.Single();
        Assert.That((newest.Kind, newest.Phase, newest.Amount, newest.RedemptionId), Is.EqualTo(("expiry", "posted", -1000L, (Guid?)gift.Id)));
        Assert.That(await Gifts.BreakageAsync(travel, program), Is.EqualTo(1000));
        var usd = (await finance.Reports.TrialBalanceAsync().Ok()).Currencies.Single(c => c.Currency == "USD");
        Assert.That((usd.Balanced, usd.PostedDebits), Is.EqualTo((true, usd.PostedCredits)));
        await Gifts.AssertLedgerSoundAsync(finance);
        Assert.That((await travel.RunPassAsync())[JobKinds.ExpireCreditLots].Done, Is.Zero, "a lot expires once");
    }

    [Test]
    public async Task Credit_that_expired_before_the_runner_ran_is_never_spent()
    {
        await using var travel = await TimeTravel.StartAsync();
        using var admin = travel.As(Tokens.Admin);
        using var merchant = travel.As(Tokens.Merchant);
        using var finance = travel.As(Tokens.Finance);
        var customer = Api.NewCustomerId("late");
        var (program, expiring) = await Gifts.ProgramAsync(admin, 1000, creditExpiryDays: 10);
        var (_, lasting) = await Gifts.ProgramAsync(admin, 300, creditExpiryDays: null);
        await Gifts.GiveAsync(merchant, expiring, customer);
        await Gifts.GiveAsync(merchant, lasting, customer);

        travel.Clock.Advance(TimeSpan.FromDays(11)); // the runner is off: the lot is due, not expired

        await merchant.Credits.SpendAsync(customer, 500, Scenario.NewOrderId()).Refused(HttpStatusCode.UnprocessableEntity, "insufficient_credit");
        var spend = await merchant.Credits.SpendAsync(customer, 300, Scenario.NewOrderId()).Created();

        Assert.That(spend.BalanceAfter, Is.Zero);
        Assert.That(await Gifts.BreakageAsync(travel, program), Is.EqualTo(1000), "the spend expired the due lot before it debited");
        var statement = (await finance.Credits.ListTransactionsAsync(customer).Ok()).Data;
        Assert.That(statement.Select(t => (t.Kind, t.Amount)), Is.EqualTo(new[]
        {
            ("spend", -300L), ("expiry", -1000L), ("promo_credit", 300L), ("promo_credit", 1000L),
        }));
        await Gifts.AssertLedgerSoundAsync(finance);
    }
}
