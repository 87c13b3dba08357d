using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ReferralService.Credits;
using ReferralService.Data;

namespace ReferralService.Tests.Data;

/// <summary>A procedure that answers with another shape than its call record declares fails loudly, naming itself.</summary>
public sealed class RowShapeTests
{
    [Test]
    public async Task A_null_where_the_row_declares_a_value_is_an_error_naming_the_procedure_and_the_column()
    {
        await CreateAsync("test_null_balance",
            "RETURNS SETOF balance_row LANGUAGE sql AS $$ SELECT ROW('USD', NULL, 0, 0, NULL, NULL, NULL)::balance_row $$");

        var failure = Assert.ThrowsAsync<InvalidOperationException>(() => Db.QueryAsync(new NullBalanceCall("anyone"), default));

        Assert.That(failure!.Message, Does.Contain("test_null_balance").And.Contain("available"));
    }

    [Test]
    public async Task A_row_without_a_column_its_record_needs_is_an_error_naming_the_column()
    {
        await CreateAsync("test_missing_column",
            "RETURNS TABLE (status varchar, id uuid) LANGUAGE sql AS $$ SELECT 'ok'::varchar, gen_random_uuid() $$");

        var failure = Assert.ThrowsAsync<InvalidOperationException>(() => Db.QuerySingleAsync(new MissingColumnCall("anyone"), default));

        Assert.That(failure!.Message, Does.Contain("test_missing_column").And.Contain("customer_id"));
    }

    private static Db Db => TestRun.Service.Services.GetRequiredService<Db>();

    private static async Task CreateAsync(string name, string body)
    {
        if (!TestRun.Database.IsPostgres)
        {
            Assert.Ignore("The stray procedure is written for PostgreSQL.");
        }
        await using var connection = new NpgsqlConnection(TestRun.Database.ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE OR REPLACE FUNCTION {name}(p_customer_id varchar) {body}", connection);
        await create.ExecuteNonQueryAsync();
    }
}

[Procedure("test_null_balance", ProcedureKind.Lookup)]
internal sealed record NullBalanceCall(string CustomerId) : IProcedureCall<BalanceRow>;

[Procedure("test_missing_column", ProcedureKind.Lookup)]
internal sealed record MissingColumnCall(string CustomerId) : IProcedureCall<Outcome<SpendRow>>;
