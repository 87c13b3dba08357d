using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Redemptions;

/// <summary>
/// A program's budget: everything its live redemptions give is committed against it when they are made, never past
/// it under concurrency, and released when they are reversed; a program without a budget keeps no count at all.
/// </summary>
public sealed class BudgetTests
{
    [Test]
    public async Task Parallel_redemptions_never_commit_more_than_the_budget()
    {
        const int Fits = 50;
        const long Credit = 10;
        using var admin = Api.Admin();
        var program = (await admin.Programs.CreateProgramAsync(
            NewProgram.Promo(Offer.Credit(Credit)) with { Budget = Fits * Credit }).Created()).Id;
        var code = await Scenario.VanityCodeAsync(program, prefix: "BUDGET-");
        using var merchant = Api.Merchant();

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ =>
            merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("c"), 1000))));

        Assert.That(responses.Count(r => r.Status == HttpStatusCode.Created), Is.EqualTo(Fits));
        Assert.That(responses.Where(r => r.Status != HttpStatusCode.Created).Select(r => r.Refused(HttpStatusCode.UnprocessableEntity).Code),
            Is.EqualTo(Enumerable.Repeat("budget_exhausted", 200 - Fits)));
        var read = await admin.Programs.GetProgramAsync(program).Ok();
        Assert.That((read.Budget, read.Committed, read.Remaining), Is.EqualTo(((long?)(Fits * Credit), (long?)(Fits * Credit), (long?)0)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task Everything_a_redemption_gives_is_committed_and_a_refused_one_gives_back_its_claims()
    {
        // A partner redemption gives a discount and a commission: on an order of 1000, 100 off and 10% of 1000.
        using var admin = Api.Admin();
        var program = (await admin.Programs.CreateProgramAsync(NewProgram.Partner(Offer.AmountOffer(100), new Commission(BasisPoints: 1000))
            with { Budget = 500, MaxRedemptionsPerCode = 3, MaxRedemptionsPerCustomer = 1 }).Created()).Id;
        var code = await Scenario.VanityCodeAsync(program, Api.NewCustomerId("emily"), prefix: "PART-");
        using var merchant = Api.Merchant();

        var first = await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("c"), 1000)).Created();
        Assert.That(first.Discount + first.Rewards.Sum(r => r.Amount), Is.EqualTo(200));
        Assert.That((await admin.Programs.GetProgramAsync(program).Ok()).Committed, Is.EqualTo(200));
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("c"), 1000)).Created();
        var dave = Api.NewCustomerId("dave");
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, dave, 5000)).Refused(HttpStatusCode.UnprocessableEntity, "budget_exhausted");

        // The refusal gave back the code's use (3 uses, 2 taken) and dave's (1 per customer): 91 off and 9 commission fit.
        var fitting = await merchant.Redemptions.RedeemAsync(Scenario.Order(code, dave, 91)).Created();
        Assert.That(fitting.Discount + fitting.Rewards.Sum(r => r.Amount), Is.EqualTo(100));
        var read = await admin.Programs.GetProgramAsync(program).Ok();
        Assert.That((read.Committed, read.Remaining), Is.EqualTo(((long?)500, (long?)0)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task A_reversal_releases_what_its_redemption_committed()
    {
        using var admin = Api.Admin();
        var program = (await admin.Programs.CreateProgramAsync(
            new NewProgram("Budgeted referral", "USD", 200, 100, 0, Budget: 600)).Created()).Id;
        var code = await Scenario.CodeForAsync(program, Api.NewCustomerId("alice"));
        var first = await Scenario.RedeemAsync(code, Api.NewCustomerId("f"));
        var second = await Scenario.RedeemAsync(code, Api.NewCustomerId("f"));
        await Scenario.QualifyAsync(second.Id);
        using var merchant = Api.Merchant();
        await merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId("f")).Refused(HttpStatusCode.UnprocessableEntity, "budget_exhausted");

        await merchant.Redemptions.ReverseAsync(first.Id, "cancelled").Ok();
        Assert.That((await admin.Programs.GetProgramAsync(program).Ok()).Committed, Is.EqualTo(300));
        await merchant.Redemptions.ReverseAsync(second.Id, "refunded").Ok();
        Assert.That((await admin.Programs.GetProgramAsync(program).Ok()).Committed, Is.EqualTo(0));

        await Scenario.RedeemAsync(code, Api.NewCustomerId("f"));
        await Scenario.RedeemAsync(code, Api.NewCustomerId("f"));
        var read = await admin.Programs.GetProgramAsync(program).Ok();
        Assert.That((read.Committed, read.Remaining), Is.EqualTo(((long?)600, (long?)0)));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task A_budget_below_what_is_committed_is_refused_and_a_first_budget_counts_earlier_redemptions()
    {
        var program = await Scenario.NewProgramAsync(referrerReward: 200, refereeReward: 100);
        var code = await Scenario.CodeForAsync(program, Api.NewCustomerId("alice"));
        await Scenario.RedeemAsync(code, Api.NewCustomerId("f"));
        var reversed = await Scenario.RedeemAsync(code, Api.NewCustomerId("f"));
        await Scenario.QualifyAsync((await Scenario.RedeemAsync(code, Api.NewCustomerId("f"))).Id);
        using var merchant = Api.Merchant();
        await merchant.Redemptions.ReverseAsync(reversed.Id, "cancelled").Ok();
        using var admin = Api.Admin();

        await admin.Programs.UpdateProgramAsync(program, new ProgramChange(Budget: 599))
            .Refused(HttpStatusCode.Conflict, "budget_below_committed");
        Assert.That((await admin.Programs.GetProgramAsync(program).Ok()).Budget, Is.Null);
        var budgeted = await admin.Programs.UpdateProgramAsync(program, new ProgramChange(Budget: 900)).Ok();
        Assert.That((budgeted.Budget, budgeted.Committed, budgeted.Remaining), Is.EqualTo(((long?)900, (long?)600, (long?)300)));

        await Scenario.RedeemAsync(code, Api.NewCustomerId("f"));
        await merchant.Redemptions.RedeemAsync(code, Api.NewCustomerId("f")).Refused(HttpStatusCode.UnprocessableEntity, "budget_exhausted");
        await admin.Programs.UpdateProgramAsync(program, new ProgramChange(Budget: 899))
            .Refused(HttpStatusCode.Conflict, "budget_below_committed");
        var raised = await admin.Programs.UpdateProgramAsync(program, new ProgramChange(Budget: 1200)).Ok();
        Assert.That((raised.Committed, raised.Remaining), Is.EqualTo(((long?)900, (long?)300)));
        await Scenario.RedeemAsync(code, Api.NewCustomerId("f"));
        await Ledger.AssertSoundAsync();
    }

    [Test]
    public async Task The_dry_run_answers_budget_exhausted_when_the_remaining_budget_is_too_small()
    {
        using var admin = Api.Admin();
        var program = (await admin.Programs.CreateProgramAsync(
            NewProgram.Promo(Offer.PercentOffer(1000)) with { Budget = 150 }).Created()).Id;
        var code = await Scenario.VanityCodeAsync(program, prefix: "DRY-");
        using var merchant = Api.Merchant();
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("c"), 1000)).Created();

        var fits = await merchant.Codes.CheckCodeAsync(Scenario.Order(code, Api.NewCustomerId("c"), 500)).Ok();
        var tooMuch = await merchant.Codes.CheckCodeAsync(Scenario.Order(code, Api.NewCustomerId("c"), 600)).Ok();
        var unknownOrder = await merchant.Codes.CheckCodeAsync(new Checkout(code, Api.NewCustomerId("c"))).Ok();

        Assert.Multiple(() =>
        {
            Assert.That((fits.Valid, fits.Reason, fits.Discount), Is.EqualTo((true, (string?)null, (long?)50)));
            Assert.That((tooMuch.Valid, tooMuch.Reason), Is.EqualTo((false, "budget_exhausted")));
            Assert.That((unknownOrder.Valid, unknownOrder.Reason), Is.EqualTo((true, (string?)null)));
        });
        await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("c"), 600))
            .Refused(HttpStatusCode.UnprocessableEntity, "budget_exhausted");
    }

    [Test]
    public async Task A_program_without_a_budget_never_has_its_row_written_by_a_redemption()
    {
        if (!TestRun.Database.IsPostgres)
        {
            Assert.Ignore("The row version read here is PostgreSQL's xmin.");
        }
        var referral = await Scenario.NewProgramAsync();
        var referralCode = await Scenario.CodeForAsync(referral, Api.NewCustomerId("alice"));
        var promo = await Scenario.NewPromoProgramAsync(Offer.Credit(25), maxRedemptionsPerCustomer: 3);
        var promoCode = await Scenario.VanityCodeAsync(promo, prefix: "FREE-");
        var before = (await RowVersionAsync(referral), await RowVersionAsync(promo));
        using var merchant = Api.Merchant();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => merchant.Redemptions.RedeemAsync(referralCode, Api.NewCustomerId("f")).Created()));
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            merchant.Redemptions.RedeemAsync(Scenario.Order(promoCode, Api.NewCustomerId("c"), 1000)).Created()));

        Assert.That((await RowVersionAsync(referral), await RowVersionAsync(promo)), Is.EqualTo(before));
        using var admin = Api.Admin();
        var read = await admin.Programs.GetProgramAsync(referral).Ok();
        Assert.That((read.Budget, read.Committed, read.Remaining), Is.EqualTo(((long?)null, (long?)null, (long?)null)));
    }

    /// <summary>The program row's xmin: it changes with every write of the row.</summary>
    private static async Task<string> RowVersionAsync(Guid programId)
    {
        await using var connection = await TestRun.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT xmin::text FROM programs WHERE id = @id";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "id";
        parameter.Value = programId;
        command.Parameters.Add(parameter);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
