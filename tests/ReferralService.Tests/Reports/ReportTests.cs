using System.Net;
using Npgsql;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Reports;

public sealed class ReportTests
{
    [Test]
    public async Task The_trial_balance_shows_a_redemption_as_pending_on_both_sides_until_it_qualifies()
    {
        using var finance = Api.Finance();
        var currency = "XTS"; // ISO 4217's code for testing: no other test uses it
        var before = await TotalsAsync(finance, currency);
        var program = await Scenario.NewProgramAsync(referrerReward: 700, refereeReward: 300, currency: currency);
        var redemption = await Scenario.RedeemAsync(await Scenario.CodeForAsync(program, Api.NewCustomerId("a")), Api.NewCustomerId("b"));

        var pending = await TotalsAsync(finance, currency);
        Assert.That(pending.PendingDebits - before.PendingDebits, Is.EqualTo(1000));
        Assert.That(pending.PendingCredits - before.PendingCredits, Is.EqualTo(1000));

        await Scenario.QualifyAsync(redemption.Id);
        var posted = await TotalsAsync(finance, currency);
        Assert.That(posted.PendingDebits, Is.EqualTo(before.PendingDebits));
        Assert.That(posted.PostedDebits - before.PostedDebits, Is.EqualTo(1000));
        Assert.That(posted.PostedCredits - before.PostedCredits, Is.EqualTo(1000));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task The_ledger_check_finds_a_stored_balance_that_disagrees_with_its_transfers()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync();
        // The same statement in both dialects.
        async Task Tamper(int delta)
        {
            const string Sql = "UPDATE accounts SET credits_posted = credits_posted + @delta WHERE kind = 'customer' AND owner_id = @owner";
            Assert.That(await TestRun.Database.ExecuteAsync(Sql, Sql, new { delta = (long)delta, owner = friend }), Is.EqualTo(1));
        }

        await Tamper(+1);
        try
        {
            await AssertLedgerCheckFindsAsync("stored_balance_matches");
        }
        finally
        {
            await Tamper(-1);
        }
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task The_ledger_check_finds_a_post_row_that_resolves_no_pending_transfer()
    {
        // No foreign key guards pending_id any more (0003_lean_writes.sql): ledger_check must.
        var (_, _, _, redemption) = await Scenario.RewardedPairAsync();
        async Task Repoint(string target)
        {
            var sql = $"UPDATE transfers SET pending_id = {target} WHERE redemption_id = @redemption AND phase = 'post' AND kind = 'referee_reward'";
            Assert.That(await TestRun.Database.ExecuteAsync(sql, sql, new { redemption }), Is.EqualTo(1));
        }

        await Repoint("id"); // the post row now names itself: not a pending transfer
        try
        {
            await AssertLedgerCheckFindsAsync("resolves_a_pending_transfer");
        }
        finally
        {
            await Repoint("(SELECT p.id FROM transfers p WHERE p.redemption_id = @redemption AND p.phase = 'pending' AND p.kind = 'referee_reward')");
        }
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task The_ledger_check_finds_a_customer_holding_credit_while_owing()
    {
        if (!TestRun.Database.IsPostgres)
        {
            Assert.Ignore("Tampering is done with PostgreSQL SQL.");
        }
        var (_, _, friend, redemption) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using (var merchant = Api.Merchant())
        {
            await merchant.Credits.SpendAsync(friend, 1000, "gone").Created();
            await merchant.Redemptions.ReverseAsync(redemption, "fraud").Ok();
        }
        await using var connection = new NpgsqlConnection(TestRun.Database.ConnectionString);
        await connection.OpenAsync();
        // Credit arrives without paying what is owed (the defect this invariant exists for): a balanced,
        // correctly stored transfer, so only the new invariant can notice.
        await using (var tamper = new NpgsqlCommand(
            "WITH c AS (UPDATE accounts SET credits_posted = credits_posted + 5 WHERE kind = 'customer' AND owner_id = @owner AND currency = 'USD' RETURNING id) " +
            "INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase, kind, created_at) " +
            "SELECT system_account('spent', '', 'USD'), c.id, c.id, 5, 'USD', 'posted', 'tampered', now() FROM c", connection))
        {
            tamper.Parameters.AddWithValue("owner", friend);
            Assert.That(await tamper.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }
        try
        {
            var violations = await LedgerCheckViolationsAsync();
            Assert.That(violations, Does.Contain("no_credit_while_owing"));
            Assert.That(violations, Does.Not.Contain("stored_balance_matches"));
        }
        finally
        {
            await using var undo = new NpgsqlCommand(
                "WITH t AS (DELETE FROM transfers WHERE kind = 'tampered' AND customer_account_id = " +
                "(SELECT id FROM accounts WHERE kind = 'customer' AND owner_id = @owner AND currency = 'USD') RETURNING customer_account_id, amount) " +
                "UPDATE accounts a SET credits_posted = a.credits_posted - t.amount FROM t WHERE a.id = t.customer_account_id", connection);
            undo.Parameters.AddWithValue("owner", friend);
            Assert.That(await undo.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task Reports_add_up_currencies_whose_totals_pass_64_bits()
    {
        if (!TestRun.Database.IsPostgres)
        {
            Assert.Ignore("The large ledger is written with PostgreSQL SQL.");
        }
        // Two legal 5 * 10^18 transfers in one currency (XBB: ISO 4217's bond-market unit, no other test uses it)
        // sum past 2^63 - 1; every stored balance still fits in 64 bits, and the ledger stays balanced.
        const long Half = 5_000_000_000_000_000_000;
        var owner = Api.NewCustomerId("whale");
        await using (var connection = new NpgsqlConnection(TestRun.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var write = new NpgsqlCommand(
                "WITH c AS (INSERT INTO accounts (kind, owner_id, currency, credits_posted, debits_posted, created_at) " +
                "           VALUES ('customer', @owner, 'XBB', @half, @half, now()) RETURNING id), " +
                "     f AS (INSERT INTO accounts (kind, owner_id, currency, created_at) VALUES ('funding', @owner, 'XBB', now()) RETURNING id), " +
                "     s AS (INSERT INTO accounts (kind, owner_id, currency, created_at) VALUES ('spent', @owner, 'XBB', now()) RETURNING id) " +
                "INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase, kind, created_at) " +
                "SELECT f.id, c.id, c.id, @half, 'XBB', 'posted', 'referee_reward', now() FROM c, f " +
                "UNION ALL SELECT c.id, s.id, c.id, @half, 'XBB', 'posted', 'spend', now() FROM c, s", connection);
            write.Parameters.AddWithValue("owner", owner);
            write.Parameters.AddWithValue("half", Half);
            Assert.That(await write.ExecuteNonQueryAsync(), Is.EqualTo(2));
        }

        using var finance = Api.Finance();
        var trial = await finance.Reports.TrialBalanceAsync().Ok();
        var xbb = trial.Currencies.Single(c => c.Currency == "XBB");
        Assert.That(xbb.PostedDebits, Is.GreaterThanOrEqualTo(2m * Half));
        Assert.That(xbb.Balanced, Is.True);
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task Reports_are_for_finance_and_admins_only()
    {
        using var merchant = Api.Merchant();
        await merchant.Reports.TrialBalanceAsync().Refused(HttpStatusCode.Forbidden, "forbidden");
        using var admin = Api.Admin();
        await admin.Reports.LedgerCheckAsync().Ok();
    }

    private static async Task AssertLedgerCheckFindsAsync(string invariant) =>
        Assert.That(await LedgerCheckViolationsAsync(), Does.Contain(invariant));

    private static async Task<List<string>> LedgerCheckViolationsAsync()
    {
        using var finance = Api.Finance();
        var check = await finance.Reports.LedgerCheckAsync().Ok();
        Assert.That(check.Ok, Is.False);
        return [.. check.Violations.Select(v => v.Invariant)];
    }

    /// <summary>The trial balance's row for the currency; zeros before the currency has any transfer.</summary>
    private static async Task<CurrencyTrialBalance> TotalsAsync(Caller finance, string currency) =>
        (await finance.Reports.TrialBalanceAsync().Ok()).Currencies.SingleOrDefault(c => c.Currency == currency)
        ?? new CurrencyTrialBalance(currency, 0, 0, 0, 0, Balanced: true);
}
