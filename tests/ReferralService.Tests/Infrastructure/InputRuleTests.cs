using System.Net;
using Npgsql;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Infrastructure;

/// <summary>One rule per kind of input (Infrastructure/Inputs.cs), in paths and bodies alike, before any database call.</summary>
public sealed class InputRuleTests
{
    private const long TooMuch = 1_000_000_000_001;

    [Test]
    public async Task A_customer_id_with_a_trailing_newline_is_refused_in_every_path_and_nothing_is_written()
    {
        var (program, referrer, friend, _) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();

        await merchant.Codes.GetOrCreateCodeAsync(program, referrer + "\n").Refused(HttpStatusCode.BadRequest, "validation_failed");
        await merchant.Credits.GetBalanceAsync(friend + "\n").Refused(HttpStatusCode.BadRequest, "validation_failed");
        await merchant.Credits.SpendAsync(friend + "\n", 100, "newline", idempotencyKey: Guid.NewGuid().ToString())
            .Refused(HttpStatusCode.BadRequest, "validation_failed");
        await merchant.Codes.CheckCodeAsync("ANYCODE", friend + "\n").Refused(HttpStatusCode.BadRequest, "validation_failed");

        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((1000L, 0L)));
    }

    [Test]
    public async Task A_referrer_cannot_redeem_their_own_code_under_an_id_with_a_trailing_newline()
    {
        var program = await Scenario.NewProgramAsync();
        var referrer = Api.NewCustomerId("ref");
        var code = await Scenario.CodeForAsync(program, referrer);
        using var merchant = Api.Merchant();

        var problem = await merchant.Redemptions.RedeemAsync(code, referrer + "\n").Refused(HttpStatusCode.BadRequest, "validation_failed");

        Assert.That(problem.Errors, Does.ContainKey("customerId"));
        await merchant.Redemptions.RedeemAsync(code, referrer).Refused(HttpStatusCode.UnprocessableEntity, "self_referral");
    }

    [TestCase("name", "a\u0000b")]
    [TestCase("name", "bell\u0007")]
    [TestCase("name", "\u009b")]
    [TestCase("currency", "US\u0000")]
    public async Task Program_text_with_control_characters_is_refused(string field, string value)
    {
        var valid = new NewProgram("Give 10, get 20", "USD", 2000, 1000, 0);
        var program = field == "name" ? valid with { Name = value } : valid with { Currency = value };
        using var admin = Api.Admin();

        var problem = await admin.Programs.CreateProgramAsync(program).Refused(HttpStatusCode.BadRequest, "validation_failed");

        Assert.That(problem.Errors, Does.ContainKey(field));
    }

    [TestCase("abc\u0000")]
    [TestCase("ABC DEF")]
    [TestCase("THIS-CODE-IS-LONGER-THAN-32-CHARS")]
    public async Task A_code_in_a_body_that_breaks_the_code_rule_is_refused_before_the_database(string code)
    {
        using var merchant = Api.Merchant();

        await merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId("c")).Refused(HttpStatusCode.BadRequest, "validation_failed");
    }

    // A NUL in a path never reaches the application: the server refuses to decode it.
    [TestCase("ABC DEF")]
    [TestCase("ABC\u0007")]
    [TestCase("THIS-CODE-IS-LONGER-THAN-32-CHARS")]
    public async Task A_code_in_a_path_that_breaks_the_code_rule_cannot_exist(string code)
    {
        using var merchant = Api.Merchant();

        await merchant.Codes.CheckCodeAsync(code).Refused(HttpStatusCode.NotFound, "code_not_found");
    }

    [Test]
    public async Task Text_that_is_not_valid_unicode_is_refused()
    {
        using var admin = Api.Admin();
        using var body = new StringContent(
            """{"name":"half \ud800 a pair","currency":"USD","referrerReward":2000,"refereeReward":1000,"minimumOrderAmount":0}""",
            System.Text.Encoding.UTF8, "application/json");

        await admin.Programs.CreateProgramAsync(body).Refused(HttpStatusCode.BadRequest, "validation_failed");
    }

    [TestCase("\u0000")]
    [TestCase("chargeback\u001b[2J")]
    public async Task A_reversal_reason_with_control_characters_is_refused_and_the_redemption_stays(string reason)
    {
        var (_, _, friend, redemption) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();

        await merchant.Redemptions.ReverseAsync(redemption, reason).Refused(HttpStatusCode.BadRequest, "validation_failed");

        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((1000L, 0L)));
    }

    [Test]
    public async Task A_reversal_reason_may_span_lines()
    {
        var (_, _, _, redemption) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();

        var reversed = await merchant.Redemptions.ReverseAsync(redemption, "Refund.\r\n\tTicket 42").Ok();

        Assert.That(reversed.ReversalReason, Is.EqualTo("Refund.\r\n\tTicket 42"));
    }

    [TestCase("referrerReward")]
    [TestCase("refereeReward")]
    [TestCase("minimumOrderAmount")]
    public async Task Program_amounts_above_the_maximum_are_refused(string field)
    {
        var valid = new NewProgram("Too generous", "USD", 2000, 1000, 0);
        var program = field switch
        {
            "referrerReward" => valid with { ReferrerReward = long.MaxValue },
            "refereeReward" => valid with { RefereeReward = TooMuch },
            _ => valid with { MinimumOrderAmount = TooMuch },
        };
        using var admin = Api.Admin();

        var problem = await admin.Programs.CreateProgramAsync(program).Refused(HttpStatusCode.BadRequest, "validation_failed");

        Assert.That(problem.Errors, Does.ContainKey(field));
    }

    [Test]
    public async Task Order_and_spend_amounts_above_the_maximum_are_refused()
    {
        var program = await Scenario.NewProgramAsync();
        var redemption = await Scenario.RedeemAsync(await Scenario.CodeForAsync(program, Api.NewCustomerId("a")), Api.NewCustomerId("b"));
        var (_, _, friend, _) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();

        await merchant.Redemptions.QualifyAsync(redemption.Id, "huge", TooMuch).Refused(HttpStatusCode.BadRequest, "validation_failed");
        await merchant.Credits.SpendAsync(friend, TooMuch, "huge").Refused(HttpStatusCode.BadRequest, "validation_failed");
        await merchant.Redemptions.QualifyAsync(redemption.Id, "max", TooMuch - 1).Ok();
    }

    [Test]
    public async Task An_order_id_one_character_too_long_is_refused_before_the_database()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();

        await merchant.Credits.SpendAsync(friend, 1, new string('o', 65)).Refused(HttpStatusCode.BadRequest, "validation_failed");
    }

    [TestCase("shop\u0000one")]
    [TestCase("shop\nwith-lines")]
    public async Task A_token_subject_the_database_could_refuse_still_scopes_idempotency_keys(string subject)
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var shop = Api.As(Tokens.For("merchant", subject));

        var first = await shop.Credits.SpendAsync(friend, 100, "odd-subject", idempotencyKey: "odd-subject-key").Created();
        var again = await shop.Credits.SpendAsync(friend, 100, "odd-subject", idempotencyKey: "odd-subject-key").Created();

        Assert.That(again.Id, Is.EqualTo(first.Id));
        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((900L, 0L)));
    }

    [TestCase("bob\n")]
    [TestCase("")]
    [TestCase("has space")]
    public async Task The_database_itself_refuses_a_customer_id_that_breaks_the_rule(string customerId)
    {
        if (!TestRun.Database.IsPostgres)
        {
            Assert.Ignore("Calls the PostgreSQL function directly.");
        }
        var program = await Scenario.NewProgramAsync();
        await using var connection = new NpgsqlConnection(TestRun.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT * FROM get_or_create_referral_code(@program, @customer, 'ZZZZZZZZZZ')", connection);
        command.Parameters.AddWithValue("program", program);
        command.Parameters.AddWithValue("customer", customerId);

        var refused = Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.That(refused!.SqlState, Is.EqualTo(PostgresErrorCodes.CheckViolation), refused.Message);
    }
}
