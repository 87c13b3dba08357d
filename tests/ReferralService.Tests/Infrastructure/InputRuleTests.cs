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

        await (await merchant.PutAsync($"/v1/programs/{program}/customers/{Uri.EscapeDataString(referrer + "\n")}/referral-code", null))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await merchant.GetAsync($"/v1/customers/{Uri.EscapeDataString(friend + "\n")}/balance"))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await merchant.PostAsync($"/v1/customers/{Uri.EscapeDataString(friend + "\n")}/spends",
                new { amount = 100, currency = "USD", orderId = "newline" }, idempotencyKey: Guid.NewGuid().ToString()))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await merchant.GetAsync($"/v1/codes/ANYCODE?customerId={Uri.EscapeDataString(friend + "\n")}"))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((1000L, 0L)));
    }

    [Test]
    public async Task A_referrer_cannot_redeem_their_own_code_under_an_id_with_a_trailing_newline()
    {
        var program = await Scenario.NewProgramAsync();
        var referrer = Api.NewCustomerId("ref");
        var code = await Scenario.CodeForAsync(program, referrer);
        using var merchant = Api.Merchant();

        var response = await merchant.PostAsync("/v1/redemptions", new { code, customerId = referrer + "\n" });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(problem.GetProperty("errors").TryGetProperty("customerId", out _), Is.True, problem.ToString());
        await (await merchant.PostAsync("/v1/redemptions", new { code, customerId = referrer }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "self_referral");
    }

    [TestCase("name", "a\u0000b")]
    [TestCase("name", "bell\u0007")]
    [TestCase("name", "\u009b")]
    [TestCase("currency", "US\u0000")]
    public async Task Program_text_with_control_characters_is_refused(string field, string value)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = "Give 10, get 20", ["currency"] = "USD", ["referrerReward"] = 2000, ["refereeReward"] = 1000, ["minimumOrderAmount"] = 0,
        };
        body[field] = value;
        using var admin = Api.Admin();

        var problem = await (await admin.PostAsync("/v1/programs", body)).ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
    }

    [TestCase("abc\u0000")]
    [TestCase("ABC DEF")]
    [TestCase("THIS-CODE-IS-LONGER-THAN-32-CHARS")]
    public async Task A_code_in_a_body_that_breaks_the_code_rule_is_refused_before_the_database(string code)
    {
        using var merchant = Api.Merchant();

        await (await merchant.PostAsync("/v1/redemptions", new { code, customerId = Api.NewCustomerId("c") }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    // A NUL in a path never reaches the application: the server refuses to decode it.
    [TestCase("ABC DEF")]
    [TestCase("ABC\u0007")]
    [TestCase("THIS-CODE-IS-LONGER-THAN-32-CHARS")]
    public async Task A_code_in_a_path_that_breaks_the_code_rule_cannot_exist(string code)
    {
        using var merchant = Api.Merchant();

        await (await merchant.GetAsync($"/v1/codes/{Uri.EscapeDataString(code)}"))
            .ExpectProblemAsync(HttpStatusCode.NotFound, "code_not_found");
    }

    [Test]
    public async Task Text_that_is_not_valid_unicode_is_refused()
    {
        using var admin = Api.Admin();
        using var body = new StringContent(
            """{"name":"half \ud800 a pair","currency":"USD","referrerReward":2000,"refereeReward":1000,"minimumOrderAmount":0}""",
            System.Text.Encoding.UTF8, "application/json");

        await (await admin.PostAsync("/v1/programs", body)).ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [TestCase("\u0000")]
    [TestCase("chargeback\u001b[2J")]
    public async Task A_reversal_reason_with_control_characters_is_refused_and_the_redemption_stays(string reason)
    {
        var (_, _, friend, redemption) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();

        await (await merchant.PostAsync($"/v1/redemptions/{redemption}/reverse", new { reason }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        Assert.That(await Scenario.BalanceAsync(friend), Is.EqualTo((1000L, 0L)));
    }

    [Test]
    public async Task A_reversal_reason_may_span_lines()
    {
        var (_, _, _, redemption) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();

        var reversed = await (await merchant.PostAsync($"/v1/redemptions/{redemption}/reverse", new { reason = "Refund.\r\n\tTicket 42" }))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.That(reversed.Str("reversalReason"), Is.EqualTo("Refund.\r\n\tTicket 42"));
    }

    [TestCase("referrerReward")]
    [TestCase("refereeReward")]
    [TestCase("minimumOrderAmount")]
    public async Task Program_amounts_above_the_maximum_are_refused(string field)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = "Too generous", ["currency"] = "USD", ["referrerReward"] = 2000, ["refereeReward"] = 1000, ["minimumOrderAmount"] = 0,
        };
        body[field] = field == "referrerReward" ? long.MaxValue : TooMuch;
        using var admin = Api.Admin();

        var problem = await (await admin.PostAsync("/v1/programs", body)).ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task Order_and_spend_amounts_above_the_maximum_are_refused()
    {
        var program = await Scenario.NewProgramAsync();
        var redemption = await Scenario.RedeemAsync(await Scenario.CodeForAsync(program, Api.NewCustomerId("a")), Api.NewCustomerId("b"));
        var (_, _, friend, _) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();

        await (await merchant.PostAsync($"/v1/redemptions/{redemption.Str("id")}/qualify", new { orderId = "huge", orderAmount = TooMuch }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = TooMuch, currency = "USD", orderId = "huge" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await merchant.PostAsync($"/v1/redemptions/{redemption.Str("id")}/qualify", new { orderId = "max", orderAmount = TooMuch - 1 }))
            .ExpectAsync(HttpStatusCode.OK);
    }

    [Test]
    public async Task An_order_id_one_character_too_long_is_refused_before_the_database()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();

        await (await merchant.PostAsync($"/v1/customers/{friend}/spends", new { amount = 1, currency = "USD", orderId = new string('o', 65) }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [TestCase("shop\u0000one")]
    [TestCase("shop\nwith-lines")]
    public async Task A_token_subject_the_database_could_refuse_still_scopes_idempotency_keys(string subject)
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync(refereeReward: 1000);
        using var shop = Api.Client(Tokens.For("merchant", subject));
        var body = new { amount = 100, currency = "USD", orderId = "odd-subject" };

        var first = await (await shop.PostAsync($"/v1/customers/{friend}/spends", body, "odd-subject-key")).ExpectAsync(HttpStatusCode.Created);
        var again = await (await shop.PostAsync($"/v1/customers/{friend}/spends", body, "odd-subject-key")).ExpectAsync(HttpStatusCode.Created);

        Assert.That(again.Str("id"), Is.EqualTo(first.Str("id")));
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
