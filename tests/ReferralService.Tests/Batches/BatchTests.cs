using System.Net;
using System.Text.RegularExpressions;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Batches;

public sealed class BatchTests
{
    [Test]
    public async Task A_batch_of_100000_codes_matches_its_pattern_is_unique_and_states_its_bits()
    {
        var program = await Batches.NewPromoProgramAsync();
        using var admin = Api.Admin();

        var accepted = await admin.Batches.CreateBatchAsync(program, new NewCodeBatch(100_000, Pattern: "spring-####-####")).CreatedAsync();
        var batch = await Batches.CompletedAsync(accepted.Id);
        var codes = await admin.Batches.ListCodesAsCsvAsync(batch.Id);

        var pattern = new Regex($"^SPRING-[{Batches.Alphabet}]{{4}}-[{Batches.Alphabet}]{{4}}$");
        Assert.Multiple(async () =>
        {
            Assert.That(accepted.Status, Is.EqualTo("pending").Or.EqualTo("running"));
            Assert.That(accepted.Pattern, Is.EqualTo("SPRING-####-####"));
            Assert.That(accepted.Bits, Is.EqualTo(39.6)); // log2(31^8) = 39.63
            Assert.That(batch.Generated, Is.EqualTo(100_000));
            Assert.That(batch.Count, Is.EqualTo(100_000));
            Assert.That(batch.CompletedAt, Is.Not.Null);
            Assert.That(codes, Has.Count.EqualTo(100_000));
            Assert.That(codes.Select(c => c.Code), Is.Unique);
            Assert.That(codes.Where(c => !pattern.IsMatch(c.Code)).Select(c => c.Code), Is.Empty);
            Assert.That(codes.Select(c => c.Status), Has.All.EqualTo("active"));
            Assert.That(await Batches.CodesInDatabaseAsync(batch.Id), Is.EqualTo(100_000));
        });
    }

    [TestCase("AB-##", 1, ExpectedResult = false)]       // 961 codes
    [TestCase("####", 923, ExpectedResult = true)]       // 923,521 >= 923,000
    [TestCase("####", 924, ExpectedResult = false)]      // 923,521 <  924,000
    [TestCase("######", 887_503, ExpectedResult = true)] // 887,503,681 >= 887,503,000
    [TestCase("######", 887_504, ExpectedResult = false)]
    public async Task<bool> A_pattern_needs_a_thousand_possible_codes_per_code(string pattern, int count)
    {
        var program = await Batches.NewPromoProgramAsync();
        using var admin = Api.Admin();

        var response = await admin.Batches.CreateBatchAsync(program, new NewCodeBatch(count, Pattern: pattern));
        if (response.Status == HttpStatusCode.Accepted)
        {
            await Batches.CompletedAsync(Json.Read<CodeBatch>(response.Text).Id);
            return true;
        }
        var problem = response.Refused(HttpStatusCode.UnprocessableEntity, "pattern_too_small");
        Assert.That(problem.Detail, Does.Contain("bits"));
        return false;
    }

    [Test]
    public async Task The_prefix_and_length_form_is_the_prefix_then_that_many_random_symbols()
    {
        var program = await Batches.NewPromoProgramAsync();
        using var admin = Api.Admin();
        var expires = new DateTimeOffset(2027, 1, 31, 23, 0, 0, TimeSpan.Zero);

        var accepted = await admin.Batches.CreateBatchAsync(program,
            new NewCodeBatch(500, Prefix: "gift-", Length: 8, MaxRedemptions: 1, ExpiresAt: expires)).CreatedAsync();
        var batch = await Batches.CompletedAsync(accepted.Id);
        var codes = await admin.Batches.ListCodesAsCsvAsync(batch.Id, byAcceptHeader: false);

        Assert.Multiple(() =>
        {
            Assert.That(batch.Pattern, Is.EqualTo("GIFT-########"));
            Assert.That(batch.Bits, Is.EqualTo(39.6));
            Assert.That(batch.MaxRedemptions, Is.EqualTo(1));
            Assert.That(batch.ExpiresAt, Is.EqualTo(expires));
            Assert.That(codes, Has.Count.EqualTo(500));
            Assert.That(codes.Select(c => c.Code), Has.All.Match($"^GIFT-[{Batches.Alphabet}]{{8}}$"));
            Assert.That(codes.Select(c => c.MaxRedemptions), Has.All.EqualTo(1));
            Assert.That(codes.Select(c => c.ExpiresAt), Has.All.EqualTo(expires));
        });
    }

    [Test]
    public async Task The_csv_export_parsed_back_equals_the_json_listing_page_by_page()
    {
        var program = await Batches.NewPromoProgramAsync();
        using var admin = Api.Admin();
        using var finance = Api.Finance();
        var batch = await Batches.CompletedAsync((await admin.Batches.CreateBatchAsync(program, new NewCodeBatch(2_500, Pattern: "CSV-######")).CreatedAsync()).Id);

        var listed = new List<BatchCode>();
        var pages = 0;
        string? after = null;
        do
        {
            var page = await finance.Batches.ListCodesAsync(batch.Id, limit: 1000, startingAfter: after).Ok();
            listed.AddRange(page.Data);
            after = page.NextStartingAfter;
            pages++;
            Assert.That(page.HasMore, Is.EqualTo(after is not null));
        }
        while (after is not null);
        var csv = await finance.Batches.ListCodesAsCsvAsync(batch.Id);

        Assert.That(pages, Is.EqualTo(3));
        Assert.That(listed, Has.Count.EqualTo(2_500));
        Assert.That(csv, Is.EqualTo(listed));
    }

    [Test]
    public async Task Only_promo_programs_take_batches()
    {
        using var admin = Api.Admin();

        await admin.Batches.CreateBatchAsync(await Scenario.NewProgramAsync(), new NewCodeBatch(10, Pattern: "REF-######"))
            .Refused(HttpStatusCode.UnprocessableEntity, "wrong_program_kind");
        var partner = await Scenario.NewPartnerProgramAsync(Offer.PercentOffer(1000), new Commission(Amount: 500));
        await admin.Batches.CreateBatchAsync(partner, new NewCodeBatch(10, Pattern: "REF-######"))
            .Refused(HttpStatusCode.UnprocessableEntity, "wrong_program_kind");
        await admin.Batches.CreateBatchAsync(Guid.NewGuid(), new NewCodeBatch(10, Pattern: "REF-######"))
            .Refused(HttpStatusCode.NotFound, "not_found");
    }

    [TestCase(0, "ABC-######", null, null, "Count")]
    [TestCase(1_000_001, "ABC-##########", null, null, "Count")]
    [TestCase(10, "ABC_######", null, null, "Pattern")]
    [TestCase(10, "##", null, null, "Pattern")]
    [TestCase(10, "ABC-######", "X-", 8, "Pattern")]
    [TestCase(10, null, "X-", null, "Pattern")]
    [TestCase(10, null, "ABCDEFGHIJKLMNOPQRSTUVWXYZ-", 8, "Length")]
    [TestCase(10, null, "A/", 8, "Prefix")]
    public async Task A_batch_request_without_a_clear_pattern_or_count_is_refused(int count, string? pattern, string? prefix, int? length, string field)
    {
        using var admin = Api.Admin();
        var program = await Batches.NewPromoProgramAsync();

        var problem = await admin.Batches.CreateBatchAsync(program, new NewCodeBatch(count, pattern, prefix, length))
            .Refused(HttpStatusCode.BadRequest, "validation_failed");

        Assert.That(problem.Errors?.Keys, Has.Some.EqualTo(field).IgnoreCase);
    }

    [Test]
    public async Task A_repeated_request_with_its_idempotency_key_makes_one_batch()
    {
        var program = await Batches.NewPromoProgramAsync();
        using var admin = Api.Admin();
        var key = "batch-" + Guid.NewGuid();

        var first = await admin.Batches.CreateBatchAsync(program, new NewCodeBatch(50, Pattern: "ONCE-######"), key).CreatedAsync();
        var again = await admin.Batches.CreateBatchAsync(program, new NewCodeBatch(50, Pattern: "ONCE-######"), key).CreatedAsync();
        await admin.Batches.CreateBatchAsync(program, new NewCodeBatch(51, Pattern: "ONCE-######"), key)
            .Refused(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        await Batches.CompletedAsync(first.Id);

        Assert.That(again.Id, Is.EqualTo(first.Id));
        Assert.That(await TestRun.Database.ScalarAsync<int>(
            "SELECT count(*)::int FROM code_batches WHERE program_id = @program",
            "SELECT COUNT(*) FROM dbo.code_batches WHERE program_id = @program", new { program }), Is.EqualTo(1));
    }

    [Test]
    public async Task Staff_read_batches_and_only_admins_create_them()
    {
        var program = await Batches.NewPromoProgramAsync();
        using var admin = Api.Admin();
        using var merchant = Api.Merchant();
        var batch = await admin.Batches.CreateBatchAsync(program, new NewCodeBatch(5, Pattern: "ROLE-######")).CreatedAsync();

        await merchant.Batches.CreateBatchAsync(program, new NewCodeBatch(5, Pattern: "ROLE-######")).Refused(HttpStatusCode.Forbidden, "forbidden");
        await merchant.Batches.GetBatchAsync(batch.Id).Ok();
        await merchant.Batches.ListCodesAsync(batch.Id).Ok();
        await merchant.Batches.GetBatchAsync(Guid.NewGuid()).Refused(HttpStatusCode.NotFound, "not_found");
        await merchant.Batches.ListCodesAsync(Guid.NewGuid()).Refused(HttpStatusCode.NotFound, "not_found");
        await Batches.CompletedAsync(batch.Id);
    }

    [Test]
    public async Task A_batch_code_is_a_promo_code_of_its_program_used_as_often_as_the_batch_allows()
    {
        var program = await Batches.NewPromoProgramAsync();
        using var admin = Api.Admin();
        using var merchant = Api.Merchant();
        var batch = await Batches.CompletedAsync(
            (await admin.Batches.CreateBatchAsync(program, new NewCodeBatch(3, Pattern: "ONE-######", MaxRedemptions: 1)).CreatedAsync()).Id);
        var code = (await admin.Batches.ListCodesAsync(batch.Id).Ok()).Data[0].Code;

        var used = await merchant.Redemptions.RedeemAsync(
            new Checkout(code.ToLowerInvariant(), Api.NewCustomerId("shopper"), "order-" + Guid.NewGuid().ToString("N")[..10], 5000)).Created();
        await merchant.Redemptions.RedeemAsync(
                new Checkout(code, Api.NewCustomerId("other"), "order-" + Guid.NewGuid().ToString("N")[..10], 5000))
            .Refused(HttpStatusCode.UnprocessableEntity, "code_exhausted");
        var listed = await admin.Codes.ListCodesAsync(program, filter: new CodeFilter(BatchId: batch.Id)).Ok();

        Assert.Multiple(() =>
        {
            Assert.That((used.Kind, used.Code, used.Discount), Is.EqualTo(("promo", code, 1000L)));
            Assert.That(listed.Data.Select(c => c.Code), Does.Contain(code));
            Assert.That(listed.Data, Has.Count.EqualTo(3));
            Assert.That(listed.Data.Select(c => (c.Source, c.OwnerId, c.MaxRedemptions, c.BatchId)), Has.All.EqualTo(("batch", (string?)null, (int?)1, (Guid?)batch.Id)));
        });
    }
}
