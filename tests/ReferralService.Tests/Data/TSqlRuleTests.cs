using ReferralService.Tests.Data.TSql;

namespace ReferralService.Tests.Data;

/// <summary>
/// Errors SQL Server raises at CREATE or run time that parsing does not catch, checked over db/sqlserver
/// in deploy order. Each rule is also fed a script that breaks it, so a rule that finds nothing fails here.
/// </summary>
public sealed class TSqlRuleTests
{
    private static readonly Lazy<Catalog> Deployed = new(() => Catalog.Deployed());

    private static IEnumerable<string> RuleNames() => Rules.All.Keys;

    [TestCaseSource(nameof(RuleNames))]
    public void The_sql_server_scripts_break_no_rule(string rule) =>
        Assert.That(Rules.All[rule](Deployed.Value), Is.Empty);

    [Test]
    public void A_cte_defined_twice_in_one_with_is_found() =>
        Assert.That(Rules.DuplicateCteNames(Catalog.Of([("bad.sql", "WITH a AS (SELECT 1 AS x), a AS (SELECT 2 AS x) SELECT x FROM a;")])),
            Has.One.Contains("CTE 'a'"));

    [Test]
    public void A_union_of_columns_with_different_collations_is_found_unless_collated()
    {
        const string Bad = """
            CREATE OR ALTER PROCEDURE dbo.bad AS
            BEGIN
                SELECT CAST(CONCAT(N'transfer ', t.id, N' is in ', t.currency) AS nvarchar(400)) AS detail FROM dbo.transfers t
                UNION ALL
                SELECT CAST(CONCAT(N'transfer ', t.id, N' is ', t.phase) AS nvarchar(400)) FROM dbo.transfers t;
            END;
            """;
        var collated = Bad.Replace("t.phase)", "t.phase COLLATE Latin1_General_100_BIN2)", StringComparison.Ordinal);

        Assert.That(Rules.UnionCollationConflicts(Catalog.Schema(("bad.sql", Bad))), Has.One.Contains("column 1 ('detail')"));
        Assert.That(Rules.UnionCollationConflicts(Catalog.Schema(("good.sql", collated))), Is.Empty);
    }

    [Test]
    public void A_function_used_before_the_script_that_creates_it_is_found() =>
        Assert.That(Rules.UsedBeforeCreated(Catalog.Of([
                ("a.sql", "CREATE OR ALTER PROCEDURE dbo.a AS BEGIN SELECT * FROM dbo.b_view(1); END;"),
                ("b.sql", "CREATE OR ALTER FUNCTION dbo.b_view(@id int) RETURNS TABLE AS RETURN SELECT @id AS id;"),
            ])),
            Has.One.StartsWith("a.sql uses dbo.b_view, which b.sql creates later in deploy order"));

    [Test]
    public void A_readpast_where_sql_server_refuses_it_is_found() =>
        Assert.That(Rules.ReadPastWhereNotAllowed(Catalog.Of([
                ("ok.sql", "CREATE OR ALTER PROCEDURE dbo.ok AS BEGIN SELECT TOP (1) id FROM dbo.t WITH (UPDLOCK, READPAST, ROWLOCK); END;"),
                ("held.sql", "CREATE OR ALTER PROCEDURE dbo.held AS BEGIN SELECT TOP (1) id FROM dbo.t WITH (UPDLOCK, HOLDLOCK, READPAST); END;"),
                ("serial.sql", "CREATE OR ALTER PROCEDURE dbo.serial AS BEGIN SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; SELECT id FROM dbo.t WITH (READPAST); END;"),
                ("snap.sql", "CREATE OR ALTER PROCEDURE dbo.snap AS BEGIN SET TRANSACTION ISOLATION LEVEL SNAPSHOT; SELECT id FROM dbo.t WITH (READPAST); END;"),
            ])),
            Has.Exactly(3).Items.And.None.StartsWith("ok.sql"));

    [Test]
    public void A_throw_number_below_50000_is_found() =>
        Assert.That(Rules.ThrowNumbersBelow50000(Catalog.Of([("bad.sql", "THROW 50000, N'fine', 1;\nTHROW 4999, N'not fine', 1;")])),
            Has.One.Contains("THROW 4999"));

    [Test]
    public void A_create_or_alter_after_another_statement_in_its_batch_is_found()
    {
        const string Script = """
            CREATE OR ALTER FUNCTION dbo.f() RETURNS TABLE AS RETURN SELECT 1 AS one;
            GO
            CREATE OR ALTER PROCEDURE dbo.p AS SELECT 1;
            """;
        // Fine as DbUp sends it (two commands); one command when a script is run whole.
        var asDbUpSendsIt = Catalog.Of([("fine.sql", Script)]);
        var whole = Catalog.OfSingleCommand("whole.sql", Script);
        var bad = "PRINT 'deploying';\nCREATE OR ALTER PROCEDURE dbo.p AS SELECT 1;";

        Assert.That(Rules.CreateOrAlterNotFirstInBatch(asDbUpSendsIt), Is.Empty);
        Assert.That(Rules.CreateOrAlterNotFirstInBatch(whole), Has.One.Contains("whole.sql: command 1"));
        Assert.That(Rules.CreateOrAlterNotFirstInBatch(Catalog.Of([("bad.sql", bad)])), Has.One.Contains("bad.sql: command 1"));
    }

    [Test]
    public void A_table_type_used_with_other_columns_than_its_definition_is_found()
    {
        var findings = Rules.TableTypeColumnMismatches(Catalog.Schema(("bad.sql", """
            CREATE OR ALTER FUNCTION dbo.bad_from_json(@outcome nvarchar(max))
            RETURNS TABLE
            AS
            RETURN
                SELECT * FROM OPENJSON(@outcome) WITH (
                    id uniqueidentifier, status varchar(40), customer_id nvarchar(64), order_id nvarchar(64),
                    amount bigint, currency char(3), spend_status varchar(10), balance_after bigint,
                    created_at datetime2(6), reversed_at datetime2(6));
            GO
            CREATE OR ALTER PROCEDURE dbo.bad @outcome nvarchar(max) AS
            BEGIN
                DECLARE @result dbo.spend_row;
                INSERT INTO @result VALUES ('ok', NULL);
                INSERT INTO @result (status, amount_due) VALUES ('ok', 1);
                INSERT INTO @result SELECT * FROM dbo.bad_from_json(@outcome);
                UPDATE @result SET balance = 0;
                SELECT status, balance FROM @result;
            END;
            """)));

        Assert.That(findings, Has.Some.Contains("gives 2 values for 10 columns"));
        Assert.That(findings, Has.Some.Contains("names column 'amount_due'"));
        Assert.That(findings, Has.Some.Contains("SELECT * puts (id, status,"));
        Assert.That(findings, Has.Some.Contains("sets column 'balance'"));
        Assert.That(findings, Has.Some.Contains("@result has no column 'balance'"));
    }

    [Test]
    public void A_parameter_narrower_than_its_column_is_found()
    {
        var findings = Rules.NarrowParameters(Catalog.Deployed(("bad.sql", """
            CREATE OR ALTER PROCEDURE dbo.bad @code nvarchar(16), @owner varchar(64), @long nvarchar(100) AS
            BEGIN
                DECLARE @id bigint, @short_code nvarchar(8);
                SELECT c.program_id FROM dbo.referral_codes c WHERE c.code = @code;
                UPDATE dbo.referral_codes SET owner_id = @owner WHERE code = N'x';
                SELECT @short_code = c.code FROM dbo.referral_codes c WHERE c.owner_id = N'x';
                EXEC dbo.system_account @kind = 'spent', @owner_id = @long, @currency = 'USD', @id = @id OUTPUT;
            END;
            """)));

        Assert.That(findings, Has.Some.Contains("@code nvarchar(16) is compared with c.code nvarchar(32)"));
        Assert.That(findings, Has.Some.Contains("@owner varchar(64) is written to owner_id nvarchar(64)"));
        Assert.That(findings, Has.Some.Contains("@short_code nvarchar(8) is set from c.code nvarchar(32)"));
        Assert.That(findings, Has.Some.Contains("@long nvarchar(100) is passed to dbo.system_account @owner_id nvarchar(64)"));
    }
}
