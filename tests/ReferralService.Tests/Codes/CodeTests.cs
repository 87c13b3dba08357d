using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Codes;

public sealed class CodeTests
{
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    [Test]
    public async Task A_customer_gets_one_personal_code_created_once_and_returned_after()
    {
        var program = await Scenario.NewProgramAsync();
        var alice = Api.NewCustomerId("alice");
        using var merchant = Api.Merchant();

        var first = await merchant.Codes.GetOrCreateCodeAsync(program, alice).Created();
        var second = await merchant.Codes.GetOrCreateCodeAsync(program, alice).Ok();

        var code = first.Code;
        Assert.Multiple(() =>
        {
            Assert.That(second.Code, Is.EqualTo(code));
            Assert.That(code, Has.Length.EqualTo(10));
            Assert.That(code.All(Alphabet.Contains), Is.True, "no look-alike characters");
            Assert.That(first.ShareUrl.OriginalString, Does.EndWith("/r/" + code));
            Assert.That(first.CustomerId, Is.EqualTo(alice));
            Assert.That(first.ProgramId, Is.EqualTo(program));
        });
    }

    [Test]
    public async Task Different_customers_get_different_codes()
    {
        var program = await Scenario.NewProgramAsync();
        var codes = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            codes.Add(await Scenario.CodeForAsync(program, Api.NewCustomerId("c")));
        }
        Assert.That(codes, Has.Count.EqualTo(10));
    }

    [Test]
    public async Task A_code_checks_valid_for_a_friend_in_any_letter_case()
    {
        var program = await Scenario.NewProgramAsync();
        var alice = Api.NewCustomerId("alice");
        var code = await Scenario.CodeForAsync(program, alice);
        using var merchant = Api.Merchant();

        var check = await merchant.Codes.CheckCodeAsync(code.ToLowerInvariant(), Api.NewCustomerId("bob")).Ok();

        Assert.Multiple(() =>
        {
            Assert.That(check.Valid, Is.True);
            Assert.That(check.Reason, Is.Null);
            Assert.That(check.OwnerId, Is.EqualTo(alice));
            Assert.That(check.Code, Is.EqualTo(code));
        });
    }

    [Test]
    public async Task A_code_check_gives_the_reason_a_redemption_would_be_refused()
    {
        var program = await Scenario.NewProgramAsync(maxRewardsPerReferrer: 2);
        var alice = Api.NewCustomerId("alice");
        var code = await Scenario.CodeForAsync(program, alice);
        var bob = Api.NewCustomerId("bob");
        using var merchant = Api.Merchant();

        async Task<string?> ReasonFor(string customer) => (await merchant.Codes.CheckCodeAsync(code, customer).Ok()).Reason;

        Assert.That(await ReasonFor(alice), Is.EqualTo("self_referral"));
        await Scenario.RedeemAsync(code, bob);
        Assert.That(await ReasonFor(bob), Is.EqualTo("already_referred"));
        await Scenario.RedeemAsync(code, Api.NewCustomerId("dave"));
        // The cap is checked before the friend, as redeem does.
        Assert.That(await ReasonFor(bob), Is.EqualTo("referrer_cap_reached"));
        Assert.That(await ReasonFor(Api.NewCustomerId("carol")), Is.EqualTo("referrer_cap_reached"));
    }

    [Test]
    public async Task An_unknown_code_is_not_found()
    {
        using var merchant = Api.Merchant();
        await merchant.Codes.CheckCodeAsync("NOSUCHCODE").Refused(HttpStatusCode.NotFound, "code_not_found");
    }

    [Test]
    public async Task A_code_for_an_unknown_program_is_not_found()
    {
        using var merchant = Api.Merchant();
        await merchant.Codes.GetOrCreateCodeAsync(Guid.NewGuid(), "alice").Refused(HttpStatusCode.NotFound, "not_found");
    }
}
