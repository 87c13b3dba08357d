using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Programs;

/// <summary>Referral, promo and partner programs: what each must and must not have, read back as written.</summary>
internal sealed class ProgramKindTests
{
    [Test]
    public async Task A_promo_program_keeps_its_offer_and_rules()
    {
        using var admin = Api.Admin();
        var starts = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.FromHours(2));
        var program = NewProgram.Promo(Offer.PercentOffer(2500, maxDiscount: 500)) with
        {
            MinimumOrderAmount = 3000, StartsAt = starts, EndsAt = starts.AddDays(30), MaxRedemptionsPerCode = 1,
            MaxRedemptionsPerCustomer = 2, NewCustomersOnly = true,
        };

        var created = await admin.Programs.CreateProgramAsync(program).Created();
        var read = await admin.Programs.GetProgramAsync(created.Id).Ok();

        Assert.Multiple(() =>
        {
            Assert.That(read.Kind, Is.EqualTo("promo"));
            Assert.That(read.Offer, Is.EqualTo(new Offer("discount", PercentOff: 2500, MaxDiscount: 500)));
            Assert.That(read.RefereeOffer, Is.Null);
            Assert.That(read.Commission, Is.Null);
            Assert.That(read.ReferrerReward, Is.Zero);
            Assert.That(read.RefereeReward, Is.Zero);
            Assert.That(read.MinimumOrderAmount, Is.EqualTo(3000));
            Assert.That(read.StartsAt, Is.EqualTo(starts));
            Assert.That(read.StartsAt!.Value.Offset, Is.EqualTo(TimeSpan.Zero), "instants are answered in UTC");
            Assert.That(read.EndsAt, Is.EqualTo(starts.AddDays(30)));
            Assert.That(read.MaxRedemptionsPerCode, Is.EqualTo(1));
            Assert.That(read.MaxRedemptionsPerCustomer, Is.EqualTo(2));
            Assert.That(read.NewCustomersOnly, Is.True);
        });
    }

    [Test]
    public async Task A_partner_program_keeps_its_offer_and_commission()
    {
        using var admin = Api.Admin();
        var created = await admin.Programs.CreateProgramAsync(
            NewProgram.Partner(Offer.AmountOffer(1000), new Commission(BasisPoints: 1234, Max: 5000))).Created();

        Assert.Multiple(() =>
        {
            Assert.That(created.Kind, Is.EqualTo("partner"));
            Assert.That(created.Offer, Is.EqualTo(new Offer("discount", AmountOff: 1000)));
            Assert.That(created.Commission, Is.EqualTo(new Commission(BasisPoints: 1234, Max: 5000)));
            Assert.That(created.NewCustomersOnly, Is.False);
        });
    }

    [Test]
    public async Task A_referral_program_may_give_the_friend_a_discount_instead_of_credit()
    {
        using var admin = Api.Admin();
        var created = await admin.Programs.CreateProgramAsync(
            new NewProgram("Give 20% off, get 10", "USD", 1000, null, null, RefereeOffer: Offer.PercentOffer(2000))).Created();

        Assert.Multiple(() =>
        {
            Assert.That(created.Kind, Is.EqualTo("referral"));
            Assert.That(created.RefereeOffer, Is.EqualTo(new Offer("discount", PercentOff: 2000)));
            Assert.That(created.Offer, Is.Null);
            Assert.That(created.RefereeReward, Is.Zero);
            Assert.That(created.ReferrerReward, Is.EqualTo(1000));
        });
    }

    [Test]
    public async Task A_gift_code_program_offers_credit()
    {
        using var admin = Api.Admin();
        var created = await admin.Programs.CreateProgramAsync(NewProgram.Promo(Offer.Credit(2500), "EUR")).Created();

        Assert.That(created.Offer, Is.EqualTo(new Offer("credit", Amount: 2500)));
    }

    private static IEnumerable<TestCaseData> MisshapenPrograms()
    {
        yield return new TestCaseData(new NewProgram("p", "USD", null, null, null, Kind: "promo"), "offer").SetName("Promo without an offer");
        yield return new TestCaseData(NewProgram.Promo(Offer.Credit(100)) with { Commission = new(Amount: 5) }, "commission").SetName("Promo with a commission");
        yield return new TestCaseData(NewProgram.Promo(Offer.Credit(100)) with { ReferrerReward = 5 }, "referrerReward").SetName("Promo with a referrer reward");
        yield return new TestCaseData(new NewProgram("p", "USD", null, null, null, Kind: "partner", Offer: Offer.Credit(100)), "commission").SetName("Partner without a commission");
        yield return new TestCaseData(NewProgram.Promo(new Offer("discount", PercentOff: 10, AmountOff: 10)), "offer.PercentOff").SetName("Discount with both percentOff and amountOff");
        yield return new TestCaseData(NewProgram.Promo(new Offer("discount")), "offer.PercentOff").SetName("Discount with neither");
        yield return new TestCaseData(NewProgram.Promo(new Offer("credit", PercentOff: 10)), "offer.Amount").SetName("Credit with a percentage");
        yield return new TestCaseData(NewProgram.Promo(new Offer("coupon", Amount: 10)), "offer.type").SetName("Unknown offer type");
        yield return new TestCaseData(NewProgram.Promo(Offer.PercentOffer(10_001)), "offer.percentOff").SetName("More than 100 percent");
        yield return new TestCaseData(NewProgram.Promo(Offer.PercentOffer(0)), "offer.percentOff").SetName("Zero percent");
        yield return new TestCaseData(NewProgram.Promo(Offer.AmountOffer(1_000_000_000_001)), "offer.amountOff").SetName("Discount over the amount limit");
        yield return new TestCaseData(NewProgram.Partner(Offer.Credit(1), new Commission(Amount: 5, BasisPoints: 5)), "commission.Amount").SetName("Commission both fixed and a percentage");
        yield return new TestCaseData(NewProgram.Partner(Offer.Credit(1), new Commission(Amount: 5, Max: 9)), "commission.Amount").SetName("Fixed commission with a max");
        yield return new TestCaseData(new NewProgram("p", "USD", 100, 100, null, RefereeOffer: Offer.PercentOffer(10)), "refereeReward").SetName("Referral with both friend credit and a friend discount");
        yield return new TestCaseData(new NewProgram("p", "USD", 100, null, null, RefereeOffer: Offer.Credit(10)), "refereeOffer").SetName("Referral friend offer of credit");
        yield return new TestCaseData(new NewProgram("p", "USD", 100, 100, null, MaxRedemptionsPerCode: 3), "maxRedemptionsPerCode").SetName("Referral with a per-code limit");
        yield return new TestCaseData(new NewProgram("p", "USD", 100, 100, null, Kind: "loyalty"), "kind").SetName("Unknown kind");
        var now = DateTimeOffset.UtcNow;
        yield return new TestCaseData(NewProgram.Promo(Offer.Credit(1)) with { StartsAt = now, EndsAt = now }, "startsAt").SetName("Ends when it starts");
    }

    [TestCaseSource(nameof(MisshapenPrograms))]
    public async Task A_program_that_does_not_fit_its_kind_is_refused_naming_the_field(NewProgram program, string field)
    {
        using var admin = Api.Admin();

        var problem = await admin.Programs.CreateProgramAsync(program).Refused(HttpStatusCode.BadRequest, "validation_failed");

        Assert.That(problem.Errors?.Keys, Has.Some.EqualTo(field).IgnoreCase, string.Join(", ", problem.Errors?.Keys ?? []));
    }

    [Test]
    public async Task A_promo_program_without_redemptions_may_change_its_offer_and_rules()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.PercentOffer(1000));
        using var admin = Api.Admin();

        var changed = await admin.Programs.UpdateProgramAsync(program,
            new ProgramChange(Offer: Offer.AmountOffer(700), MaxRedemptionsPerCustomer: 1, NewCustomersOnly: true, Name: "Summer")).Ok();

        Assert.Multiple(() =>
        {
            Assert.That(changed.Offer, Is.EqualTo(new Offer("discount", AmountOff: 700)), "the offer is replaced whole");
            Assert.That(changed.MaxRedemptionsPerCustomer, Is.EqualTo(1));
            Assert.That(changed.NewCustomersOnly, Is.True);
            Assert.That(changed.Name, Is.EqualTo("Summer"));
        });
    }

    [Test]
    public async Task A_partner_commission_can_change()
    {
        var program = await Scenario.NewPartnerProgramAsync(Offer.AmountOffer(500), new Commission(Amount: 777));
        using var admin = Api.Admin();

        var changed = await admin.Programs.UpdateProgramAsync(program, new ProgramChange(Commission: new(BasisPoints: 500))).Ok();

        Assert.That(changed.Commission, Is.EqualTo(new Commission(BasisPoints: 500)));
    }

    [Test]
    public async Task A_change_that_does_not_fit_the_kind_is_refused()
    {
        var referral = await Scenario.NewProgramAsync();
        var promo = await Scenario.NewPromoProgramAsync(Offer.Credit(100));
        using var admin = Api.Admin();

        Assert.Multiple(async () =>
        {
            await admin.Programs.UpdateProgramAsync(referral, new ProgramChange(MaxRedemptionsPerCode: 5)).Refused(HttpStatusCode.UnprocessableEntity, "wrong_program_kind");
            await admin.Programs.UpdateProgramAsync(referral, new ProgramChange(Offer: Offer.Credit(5))).Refused(HttpStatusCode.UnprocessableEntity, "wrong_program_kind");
            await admin.Programs.UpdateProgramAsync(promo, new ProgramChange(Commission: new(Amount: 5))).Refused(HttpStatusCode.UnprocessableEntity, "wrong_program_kind");
            await admin.Programs.UpdateProgramAsync(promo, new ProgramChange(MaxRewardsPerReferrer: 5)).Refused(HttpStatusCode.UnprocessableEntity, "wrong_program_kind");
        });
        var unchanged = await admin.Programs.GetProgramAsync(promo).Ok();
        Assert.That(unchanged.Offer, Is.EqualTo(Offer.Credit(100)));
    }

    [Test]
    public async Task Dates_that_would_end_a_program_before_it_starts_are_refused_against_the_stored_ones()
    {
        var starts = DateTimeOffset.UtcNow.AddDays(10);
        var program = await Scenario.NewPromoProgramAsync(Offer.Credit(100), startsAt: starts);
        using var admin = Api.Admin();

        await admin.Programs.UpdateProgramAsync(program, new ProgramChange(EndsAt: starts.AddDays(-1))).Refused(HttpStatusCode.BadRequest, "validation_failed");
        var read = await admin.Programs.GetProgramAsync(program).Ok();

        Assert.That(read.EndsAt, Is.Null);
    }

    [Test]
    public async Task Only_referral_programs_hand_out_personal_codes()
    {
        var promo = await Scenario.NewPromoProgramAsync(Offer.Credit(100));
        var partner = await Scenario.NewPartnerProgramAsync(Offer.AmountOffer(100), new Commission(Amount: 50));
        using var merchant = Api.Merchant();

        await merchant.Codes.GetOrCreateCodeAsync(promo, Api.NewCustomerId("alice")).Refused(HttpStatusCode.UnprocessableEntity, "wrong_program_kind");
        await merchant.Codes.GetOrCreateCodeAsync(partner, Api.NewCustomerId("alice")).Refused(HttpStatusCode.UnprocessableEntity, "wrong_program_kind");
    }

    [Test]
    public async Task An_offer_cannot_change_once_the_program_has_a_redemption_but_a_commission_can()
    {
        var program = await Scenario.NewPartnerProgramAsync(Offer.PercentOffer(1000), new Commission(Amount: 300));
        var code = await Scenario.VanityCodeAsync(program, ownerId: Api.NewCustomerId("emily"));
        using var merchant = Api.Merchant();
        using var admin = Api.Admin();
        var first = await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("bob"), 5000)).Created();

        await admin.Programs.UpdateProgramAsync(program, new ProgramChange(Offer: Offer.PercentOffer(9000)))
            .Refused(HttpStatusCode.Conflict, "program_has_redemptions");
        await admin.Programs.UpdateProgramAsync(program, new ProgramChange(Commission: new(Amount: 900))).Ok();
        var second = await merchant.Redemptions.RedeemAsync(Scenario.Order(code, Api.NewCustomerId("carol"), 5000)).Created();

        Assert.Multiple(() =>
        {
            Assert.That(first.Discount, Is.EqualTo(500), "the first redemption's terms");
            Assert.That(second.Discount, Is.EqualTo(500), "the offer did not change");
            Assert.That(first.Rewards.Single(r => r.Role == "referrer").Amount, Is.EqualTo(300));
            Assert.That(second.Rewards.Single(r => r.Role == "referrer").Amount, Is.EqualTo(900), "the new commission applies from then on");
        });
    }
}
