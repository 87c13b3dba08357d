using ReferralService.Tests.Credits;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Reports;

/// <summary>ledger_check proves lots and budgets: tampering with either is reported. Each test on a database of its own.</summary>
internal sealed class LotLedgerTests
{
    private static readonly string[] BudgetViolation = ["budget_committed_matches"];

    [Test]
    public async Task The_ledger_check_finds_a_lot_that_its_movements_and_its_account_do_not_account_for()
    {
        await using var travel = await TimeTravel.StartAsync();
        using var admin = travel.As(Tokens.Admin);
        using var merchant = travel.As(Tokens.Merchant);
        using var finance = travel.As(Tokens.Finance);
        var customer = Api.NewCustomerId("tampered");
        var (_, code) = await Gifts.ProgramAsync(admin, 1000, creditExpiryDays: 30);
        await Gifts.GiveAsync(merchant, code, customer);
        await merchant.Credits.SpendAsync(customer, 400, Scenario.NewOrderId()).Created();
        await Gifts.AssertLedgerSoundAsync(finance);
        var account = await travel.ScalarAsync<long>(
            "SELECT id FROM accounts WHERE kind = 'customer' AND owner_id = @customer",
            "SELECT id FROM dbo.accounts WHERE kind = 'customer' AND owner_id = @customer", new { customer });

        Assert.That(await travel.ExecuteAsync(
            "UPDATE credit_lots SET remaining = remaining - 1 WHERE account_id = @account",
            "UPDATE dbo.credit_lots SET remaining = remaining - 1 WHERE account_id = @account", new { account }), Is.EqualTo(1));

        var check = await finance.Reports.LedgerCheckAsync().Ok();
        Assert.That(check.Ok, Is.False);
        Assert.That(check.Violations.Select(v => (v.Invariant, v.AccountId)),
            Is.EquivalentTo(new[] { ("lot_balanced", (long?)account), ("lots_match_balance", account) }), string.Join("\n", check.Violations));
        Assert.That((await finance.Reports.TrialBalanceAsync().Ok()).Balanced, Is.True, "a lot is not a ledger row");
    }

    [Test]
    public async Task The_ledger_check_finds_a_budget_whose_committed_amount_its_redemptions_do_not_account_for()
    {
        await using var travel = await TimeTravel.StartAsync();
        using var admin = travel.As(Tokens.Admin);
        using var merchant = travel.As(Tokens.Merchant);
        using var finance = travel.As(Tokens.Finance);
        var program = (await admin.Programs.CreateProgramAsync(new NewProgram("Budgeted", "USD", 700, 300, 0, Budget: 10_000)).Created()).Id;
        var code = (await merchant.Codes.GetOrCreateCodeAsync(program, Api.NewCustomerId("referrer")).Created()).Code;
        await merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId("friend")).Created();
        await Gifts.AssertLedgerSoundAsync(finance);

        Assert.That(await travel.ExecuteAsync(
            "UPDATE programs SET committed = committed + 1 WHERE id = @program",
            "UPDATE dbo.programs SET committed = committed + 1 WHERE id = @program", new { program }), Is.EqualTo(1));

        var check = await finance.Reports.LedgerCheckAsync().Ok();
        Assert.That(check.Violations.Select(v => v.Invariant), Is.EqualTo(BudgetViolation), string.Join("\n", check.Violations));
        Assert.That(check.Violations.Single().Detail, Does.Contain(program.ToString()).And.Contain("committed 1001"));
    }
}
