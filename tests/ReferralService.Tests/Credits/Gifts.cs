using ReferralService.Tests.Support;

namespace ReferralService.Tests.Credits;

/// <summary>
/// Credit lots made over HTTP: a gift is a promo program's credit offer, posted as the customer redeems its code at
/// checkout; the program's creditExpiryDays gives the lot its expiry.
/// </summary>
internal static class Gifts
{
    /// <summary>A promo program giving this much credit, expiring after these days (null: never); answers its code.</summary>
    public static async Task<(Guid Program, string Code)> ProgramAsync(Caller admin, long credit, int? creditExpiryDays)
    {
        var draft = NewProgram.Promo(Offer.Credit(credit)) with { Name = "Gift", CreditExpiryDays = creditExpiryDays };
        var program = (await admin.Programs.CreateProgramAsync(draft).Created()).Id;
        var code = (await admin.Codes.CreateCodeAsync(program, new NewCode(Scenario.NewVanityCode("GIFT-"))).Created()).Code;
        return (program, code);
    }

    /// <summary>The customer redeems the gift's code: its credit posts at once, as a lot.</summary>
    public static async Task<Redemption> GiveAsync(Caller merchant, string code, string customerId)
    {
        var redemption = await merchant.Redemptions.RedeemAsync(Scenario.Order(code, customerId, 100)).Created();
        Assert.That(redemption.Status, Is.EqualTo("redeemed"));
        return redemption;
    }

    /// <summary>The customer's balance in USD (zeros before they hold any).</summary>
    public static async Task<Balance> BalanceAsync(Caller reader, string customerId) =>
        (await reader.Credits.GetBalanceAsync(customerId).Ok()).Balances.SingleOrDefault(b => b.Currency == "USD")
        ?? new Balance("USD", 0, 0, null, null, null, 0);

    /// <summary>ledger_check finds nothing and the trial balance balances, on the database the caller's service uses.</summary>
    public static async Task AssertLedgerSoundAsync(Caller finance)
    {
        var check = await finance.Reports.LedgerCheckAsync().Ok();
        Assert.That(check.Ok, Is.True, string.Join("\n", check.Violations));
        var trial = await finance.Reports.TrialBalanceAsync().Ok();
        Assert.That(trial.Balanced, Is.True, string.Join("\n", trial.Currencies));
    }

    /// <summary>What the program's breakage account has been credited (expired credit), read from the ledger.</summary>
    public static Task<long> BreakageAsync(TimeTravel travel, Guid program) => travel.ScalarAsync<long>(
        """
        SELECT COALESCE(SUM(t.amount), 0)::bigint FROM transfers t JOIN accounts b ON b.id = t.credit_account_id
        WHERE b.kind = 'breakage' AND b.owner_id = @owner AND t.kind = 'expiry'
        """,
        """
        SELECT COALESCE(SUM(t.amount), 0) FROM dbo.transfers t JOIN dbo.accounts b ON b.id = t.credit_account_id
        WHERE b.kind = 'breakage' AND b.owner_id = @owner AND t.kind = 'expiry'
        """,
        new { owner = program.ToString() });
}
