using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Programs;

/// <summary>A program's time settings and budget: stored and answered, changed by PATCH, refused when not positive.</summary>
public sealed class TimeSettingsTests
{
    private static readonly string[] SettingFields = ["holdDays", "qualifyWithinDays", "creditExpiryDays", "budget"];
    private static readonly string[] PendingFields = ["holdDays", "qualifyWithinDays"];

    [Test]
    public async Task Time_settings_and_budget_are_stored_and_answered()
    {
        using var admin = Api.Admin();
        var created = await admin.Programs.CreateProgramAsync(new NewProgram("Timed", "USD", 2000, 1000, 0,
            HoldDays: 14, QualifyWithinDays: 30, CreditExpiryDays: 90, Budget: 100_000)).Created();
        var plain = await admin.Programs.CreateProgramAsync(new NewProgram("Plain", "USD", 2000, 1000, 0)).Created();

        using var finance = Api.Finance();
        var read = await finance.Programs.GetProgramAsync(created.Id).Ok();
        var plainRead = await finance.Programs.GetProgramAsync(plain.Id).Ok();
        Assert.Multiple(() =>
        {
            Assert.That(read, Is.EqualTo(created));
            Assert.That((read.HoldDays, read.QualifyWithinDays, read.CreditExpiryDays), Is.EqualTo(((int?)14, (int?)30, (int?)90)));
            Assert.That((read.Budget, read.Committed, read.Remaining), Is.EqualTo(((long?)100_000, (long?)0, (long?)100_000)));
            Assert.That((plainRead.HoldDays, plainRead.QualifyWithinDays, plainRead.CreditExpiryDays),
                Is.EqualTo(((int?)null, (int?)null, (int?)null)));
            Assert.That((plainRead.Budget, plainRead.Committed, plainRead.Remaining), Is.EqualTo(((long?)null, (long?)null, (long?)null)));
        });
    }

    [Test]
    public async Task Patch_sets_and_changes_the_settings_and_leaves_out_ones_as_they_are()
    {
        var program = await Scenario.NewProgramAsync();
        using var admin = Api.Admin();

        var set = await admin.Programs.UpdateProgramAsync(program, new ProgramChange(HoldDays: 3, QualifyWithinDays: 10, Budget: 5000)).Ok();
        var changed = await admin.Programs.UpdateProgramAsync(program, new ProgramChange(HoldDays: 5, CreditExpiryDays: 365)).Ok();
        // budget: null reads as absent (a budget can be changed, not removed), as every other field.
        var untouched = await admin.Programs.PatchProgramAsync(program,
            new Dictionary<string, object?> { ["budget"] = null, ["holdDays"] = null, ["name"] = "Renamed" }).Ok();

        Assert.Multiple(() =>
        {
            Assert.That((set.HoldDays, set.QualifyWithinDays, set.CreditExpiryDays, set.Budget), Is.EqualTo(((int?)3, (int?)10, (int?)null, (long?)5000)));
            Assert.That((changed.HoldDays, changed.QualifyWithinDays, changed.CreditExpiryDays, changed.Budget),
                Is.EqualTo(((int?)5, (int?)10, (int?)365, (long?)5000)));
            Assert.That((untouched.Name, untouched.HoldDays, untouched.Budget, untouched.Committed, untouched.Remaining),
                Is.EqualTo(("Renamed", (int?)5, (long?)5000, (long?)0, (long?)5000)));
        });
    }

    [TestCase(0)]
    [TestCase(-1)]
    public async Task Zero_or_negative_settings_are_refused_naming_each_field(int value)
    {
        using var admin = Api.Admin();
        var createProblem = await admin.Programs.CreateProgramAsync(new NewProgram("Bad", "USD", 2000, 1000, 0,
            HoldDays: value, QualifyWithinDays: value, CreditExpiryDays: value, Budget: value)).Refused(HttpStatusCode.BadRequest, "validation_failed");
        var program = await Scenario.NewProgramAsync();
        var patchProblem = await admin.Programs.UpdateProgramAsync(program,
            new ProgramChange(HoldDays: value, QualifyWithinDays: value, CreditExpiryDays: value, Budget: value))
            .Refused(HttpStatusCode.BadRequest, "validation_failed");

        Assert.That(createProblem.Errors?.Keys, Is.SupersetOf(SettingFields));
        Assert.That(patchProblem.Errors?.Keys, Is.SupersetOf(SettingFields));
        var unchanged = await admin.Programs.GetProgramAsync(program).Ok();
        Assert.That((unchanged.HoldDays, unchanged.Budget), Is.EqualTo(((int?)null, (long?)null)));
    }

    [Test]
    public async Task Days_past_a_hundred_years_and_budgets_past_the_amount_rule_are_refused()
    {
        using var admin = Api.Admin();
        var problem = await admin.Programs.CreateProgramAsync(new NewProgram("Far", "USD", 2000, 1000, 0,
            HoldDays: 36_501, QualifyWithinDays: 36_501, CreditExpiryDays: 36_501, Budget: 1_000_000_000_001))
            .Refused(HttpStatusCode.BadRequest, "validation_failed");

        Assert.That(problem.Errors?.Keys, Is.SupersetOf(SettingFields));
        var longest = await admin.Programs.CreateProgramAsync(new NewProgram("Long", "USD", 2000, 1000, 0,
            HoldDays: 36_500, QualifyWithinDays: 36_500, CreditExpiryDays: 36_500, Budget: 1_000_000_000_000)).Created();
        Assert.That(longest.CreditExpiryDays, Is.EqualTo(36_500));
    }

    [Test]
    public async Task A_promo_program_takes_no_hold_or_deadline()
    {
        using var admin = Api.Admin();
        var problem = await admin.Programs.CreateProgramAsync(NewProgram.Promo(Offer.Credit(100)) with { HoldDays = 3, QualifyWithinDays = 3 })
            .Refused(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(problem.Errors?.Keys, Is.SupersetOf(PendingFields));

        var promo = await admin.Programs.CreateProgramAsync(NewProgram.Promo(Offer.Credit(100)) with { CreditExpiryDays = 30, Budget = 1000 }).Created();
        Assert.That((promo.CreditExpiryDays, promo.Budget), Is.EqualTo(((int?)30, (long?)1000)));
        await admin.Programs.UpdateProgramAsync(promo.Id, new ProgramChange(HoldDays: 3))
            .Refused(HttpStatusCode.UnprocessableEntity, "wrong_program_kind");
        await admin.Programs.UpdateProgramAsync(promo.Id, new ProgramChange(QualifyWithinDays: 3))
            .Refused(HttpStatusCode.UnprocessableEntity, "wrong_program_kind");
    }

    [Test]
    public async Task A_new_pending_redemption_must_qualify_within_the_programs_days_of_its_creation()
    {
        using var admin = Api.Admin();
        var referral = (await admin.Programs.CreateProgramAsync(new NewProgram("Deadline", "USD", 2000, 1000, 0, QualifyWithinDays: 7)).Created()).Id;
        var partner = (await admin.Programs.CreateProgramAsync(NewProgram.Partner(Offer.AmountOffer(100), new Commission(Amount: 300))
            with { QualifyWithinDays = 30 }).Created()).Id;
        var plain = await Scenario.NewProgramAsync();
        var promo = await Scenario.NewPromoProgramAsync(Offer.Credit(100));
        using var merchant = Api.Merchant();

        var referred = await Scenario.RedeemAsync(await Scenario.CodeForAsync(referral, Api.NewCustomerId("alice")), Api.NewCustomerId("bob"));
        var partnered = await merchant.Redemptions.RedeemAsync(
            Scenario.Order(await Scenario.VanityCodeAsync(partner, Api.NewCustomerId("emily")), Api.NewCustomerId("carol"), 1000)).Created();
        var unlimited = await Scenario.RedeemAsync(await Scenario.CodeForAsync(plain, Api.NewCustomerId("alice")), Api.NewCustomerId("dave"));
        var promoted = await merchant.Redemptions.RedeemAsync(Scenario.Order(await Scenario.VanityCodeAsync(promo), Api.NewCustomerId("erin"), 1000)).Created();

        Assert.Multiple(() =>
        {
            Assert.That(referred.QualifyBy, Is.EqualTo(referred.CreatedAt.AddDays(7)));
            Assert.That(partnered.QualifyBy, Is.EqualTo(partnered.CreatedAt.AddDays(30)));
            Assert.That(unlimited.QualifyBy, Is.Null);
            Assert.That(promoted.QualifyBy, Is.Null);
            Assert.That((referred.Status, referred.AvailableAt, referred.ExpiredAt), Is.EqualTo(("pending", (DateTimeOffset?)null, (DateTimeOffset?)null)));
        });
        using var finance = Api.Finance();
        var read = await finance.Redemptions.GetRedemptionAsync(referred.Id).Ok();
        Assert.That(read.QualifyBy, Is.EqualTo(referred.QualifyBy));
    }

    [Test]
    public async Task Gift_credit_of_a_program_with_credit_expiry_expires_that_many_days_after_its_redemption()
    {
        using var admin = Api.Admin();
        var promo = (await admin.Programs.CreateProgramAsync(NewProgram.Promo(Offer.Credit(700)) with { CreditExpiryDays = 30 }).Created()).Id;
        var erin = Api.NewCustomerId("erin");
        using var merchant = Api.Merchant();

        var redeemed = await merchant.Redemptions.RedeemAsync(Scenario.Order(await Scenario.VanityCodeAsync(promo), erin, 1000)).Created();

        using var finance = Api.Finance();
        var balance = (await finance.Credits.GetBalanceAsync(erin).Ok()).Balances.Single();
        Assert.That((balance.Available, balance.Expiring, balance.ExpiresAt),
            Is.EqualTo((700L, (long?)700, (DateTimeOffset?)redeemed.CreatedAt.AddDays(30))));
    }
}
