using System.Data.Common;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Redemptions;

/// <summary>
/// PostgreSQL's redeem() takes a referral redemption with nothing to refuse in one guarded update, and everything
/// else through its general path; both fill one record variable. One session running both, in turn, answers as
/// each path does on its own.
/// </summary>
public sealed class RedeemPathTests
{
    private static readonly string[] Expected = ["ok pending", "ok redeemed", "ok pending", "code_not_found ", "ok pending"];

    [Test]
    public async Task One_session_redeems_through_both_paths_in_turn()
    {
        if (!TestRun.Database.IsPostgres)
        {
            Assert.Ignore("redeem()'s two paths are PostgreSQL's; SQL Server has one.");
        }
        var referral = await Scenario.NewProgramAsync();
        var referralCode = await Scenario.CodeForAsync(referral, Api.NewCustomerId("alice"));
        var promo = await Scenario.NewPromoProgramAsync(Offer.PercentOffer(1000));
        var promoCode = await Scenario.VanityCodeAsync(promo);
        await using var connection = await TestRun.Database.OpenAsync();

        var answers = new List<string>();
        foreach (var (code, orderAmount) in new[] { (referralCode, (long?)null), (promoCode, 5000L), (referralCode, null), ("NO-SUCH-CODE", null), (referralCode, null) })
        {
            answers.Add(await RedeemAsync(connection, code, Api.NewCustomerId("friend"), orderAmount));
        }

        Assert.That(answers, Is.EqualTo(Expected));
    }

    private static async Task<string> RedeemAsync(DbConnection connection, string code, string customerId, long? orderAmount)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, redemption_status FROM redeem(gen_random_uuid(), @code, @customer, @order, @amount, NULL, NULL, NULL, now(), 'test', NULL, NULL)";
        Add(command, "code", code);
        Add(command, "customer", customerId);
        Add(command, "order", orderAmount is null ? null : Scenario.NewOrderId());
        Add(command, "amount", orderAmount);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return $"{reader.GetString(0)} {(reader.IsDBNull(1) ? "" : reader.GetString(1))}";
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        if (value is null)
        {
            parameter.DbType = name == "amount" ? System.Data.DbType.Int64 : System.Data.DbType.String;
        }
        command.Parameters.Add(parameter);
    }
}
