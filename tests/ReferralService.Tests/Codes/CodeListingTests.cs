using System.Globalization;
using System.Net;
using CsvHelper;
using CsvHelper.Configuration;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Codes;

public sealed class CodeListingTests
{
    [Test]
    public async Task Pages_of_a_program_s_codes_hold_every_code_once_in_code_order()
    {
        var (program, codes) = await ProgramWithCodesAsync(23);
        await ProgramWithCodesAsync(3); // another program's codes stay out
        using var finance = Api.Finance();

        var listed = await finance.Codes.ListAllCodesAsync(program, limit: 5);

        Assert.Multiple(() =>
        {
            Assert.That(listed.Select(c => c.Code), Is.EqualTo(codes.Order(StringComparer.Ordinal)), "every code once, in order");
            Assert.That(listed.Select(c => c.ProgramId), Is.All.EqualTo(program));
            Assert.That(listed.Select(c => c.Source), Is.All.EqualTo("personal"));
            Assert.That(listed.Select(c => c.Status), Is.All.EqualTo("active"));
            Assert.That(listed.Select(c => c.OwnerId), Is.Unique.And.All.Not.Null);
        });
    }

    [Test]
    public async Task A_page_of_the_exact_remaining_size_says_there_is_no_more()
    {
        var (program, codes) = await ProgramWithCodesAsync(4);
        using var merchant = Api.Merchant();

        var first = await merchant.Codes.ListCodesAsync(program, limit: 2).Ok();
        var second = await merchant.Codes.ListCodesAsync(program, limit: 2, startingAfter: first.NextStartingAfter!.ToLowerInvariant()).Ok();
        var all = await merchant.Codes.ListCodesAsync(program).Ok();

        Assert.Multiple(() =>
        {
            Assert.That(first.HasMore, Is.True);
            Assert.That(second.HasMore, Is.False);
            Assert.That(second.NextStartingAfter, Is.Null);
            Assert.That(first.Data.Concat(second.Data).Select(c => c.Code), Is.EqualTo(codes.Order(StringComparer.Ordinal)));
            Assert.That(all.Data, Has.Count.EqualTo(4), "default page size 100");
            Assert.That(all.HasMore, Is.False);
        });
    }

    [Test]
    public async Task The_owner_and_status_filters_list_only_the_matching_codes()
    {
        var (program, codes) = await ProgramWithCodesAsync(9);
        using var admin = Api.Admin();
        var disabled = codes.Take(4).ToList();
        foreach (var code in disabled)
        {
            await admin.Codes.UpdateCodeAsync(code, new { status = "disabled" }).Ok();
        }
        var one = (await admin.Codes.ListCodesAsync(program, limit: 1).Ok()).Data[0];

        var onlyDisabled = await admin.Codes.ListAllCodesAsync(program, 3, new CodeFilter(Status: "disabled"));
        var onlyActive = await admin.Codes.ListAllCodesAsync(program, 3, new CodeFilter(Status: "active"));
        var byOwner = await admin.Codes.ListAllCodesAsync(program, 3, new CodeFilter(OwnerId: one.OwnerId));
        var ownerAndStatus = await admin.Codes.ListAllCodesAsync(program, 3, new CodeFilter(OwnerId: one.OwnerId, Status: "disabled"));
        var unknownBatch = await admin.Codes.ListAllCodesAsync(program, 3, new CodeFilter(BatchId: Guid.NewGuid()));

        Assert.Multiple(() =>
        {
            Assert.That(onlyDisabled.Select(c => c.Code), Is.EqualTo(disabled.Order(StringComparer.Ordinal)));
            Assert.That(onlyActive.Select(c => c.Code), Is.EqualTo(codes.Except(disabled).Order(StringComparer.Ordinal)));
            Assert.That(byOwner.Select(c => c.Code), Is.EqualTo(new[] { one.Code }));
            Assert.That(ownerAndStatus.Select(c => c.Code), Is.EqualTo(disabled.Contains(one.Code) ? new[] { one.Code } : []));
            Assert.That(unknownBatch, Is.Empty);
        });
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task The_csv_export_parsed_back_equals_the_json_listing_of_the_same_filter(bool byAccept)
    {
        var (program, codes) = await ProgramWithCodesAsync(12);
        using var admin = Api.Admin();
        await admin.Codes.UpdateCodeAsync(codes[0], new { status = "disabled", maxRedemptions = 7, expiresAt = DateTimeOffset.UtcNow.AddDays(3) }).Ok();
        await admin.Codes.UpdateCodeAsync(codes[1], new { status = "disabled" }).Ok();

        foreach (var filter in new[] { new CodeFilter(), new CodeFilter(Status: "disabled"), new CodeFilter(Status: "active") })
        {
            var json = await admin.Codes.ListAllCodesAsync(program, 5, filter);
            var (status, mediaType, fileName, text) = await admin.Codes.ExportCodesAsync(program, filter, byAccept);

            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
            Assert.Multiple(() =>
            {
                Assert.That(mediaType, Is.EqualTo("text/csv"));
                Assert.That(fileName, Is.EqualTo($"codes-{program}.csv"));
                Assert.That(text.Split('\n')[0].TrimEnd('\r'),
                    Is.EqualTo("code,programId,ownerId,source,status,maxRedemptions,expiresAt,batchId,createdAt"), "the JSON field names");
                Assert.That(ReadCsv(text), Is.EqualTo(json), $"filter {filter}");
            });
        }
    }

    [Test]
    public async Task Promo_codes_without_owners_export_and_read_back_with_their_limits_and_expiries()
    {
        var program = await Scenario.NewPromoProgramAsync(Offer.AmountOffer(300));
        var expiry = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(4560);
        await Scenario.VanityCodeAsync(program, maxRedemptions: 9, expiresAt: expiry, prefix: "SALE-");
        await Scenario.VanityCodeAsync(program, prefix: "SALE-");
        await Scenario.VanityCodeAsync(program, expiresAt: expiry.AddHours(1).AddTicks(-4560), prefix: "SALE-");
        using var finance = Api.Finance();

        var json = await finance.Codes.ListAllCodesAsync(program, 2);
        var (_, _, _, text) = await finance.Codes.ExportCodesAsync(program);

        Assert.Multiple(() =>
        {
            Assert.That(json, Has.Count.EqualTo(3));
            Assert.That(json.Select(c => c.OwnerId), Is.All.Null);
            Assert.That(json.Select(c => c.Source), Is.All.EqualTo("vanity"));
            Assert.That(json.Select(c => c.MaxRedemptions), Has.One.EqualTo(9));
            Assert.That(json.Select(c => c.ExpiresAt), Has.One.EqualTo(expiry));
            Assert.That(ReadCsv(text), Is.EqualTo(json));
        });
    }

    [Test]
    public async Task Codes_of_an_unknown_program_are_not_found_as_json_and_as_csv()
    {
        using var finance = Api.Finance();
        var program = Guid.NewGuid();

        await finance.Codes.ListCodesAsync(program).Refused(HttpStatusCode.NotFound, "not_found");
        var (status, mediaType, _, text) = await finance.Codes.ExportCodesAsync(program);

        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound), text);
        Assert.That(mediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task A_program_without_codes_lists_none_and_exports_a_header_only()
    {
        var program = await Scenario.NewProgramAsync();
        using var merchant = Api.Merchant();

        var page = await merchant.Codes.ListCodesAsync(program).Ok();
        var (status, _, _, text) = await merchant.Codes.ExportCodesAsync(program);

        Assert.Multiple(() =>
        {
            Assert.That(page.Data, Is.Empty);
            Assert.That(page.HasMore, Is.False);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ReadCsv(text), Is.Empty);
        });
    }

    [TestCase("limit=0", "limit")]
    [TestCase("limit=1001", "limit")]
    [TestCase("startingAfter=not%20a%20code", "startingAfter")]
    [TestCase("ownerId=bad%2Fowner", "ownerId")]
    [TestCase("status=paused", "status")]
    [TestCase("format=xml", "format")]
    [TestCase("format=csv&limit=10", "limit")]
    public async Task A_listing_with_a_bad_argument_is_refused(string query, string field)
    {
        var program = await Scenario.NewProgramAsync();
        using var client = Api.Client(Tokens.Merchant);

        var response = await client.GetAsync(new Uri($"/v1/programs/{program}/codes?{query}", UriKind.Relative));

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task A_customer_may_not_list_a_program_s_codes()
    {
        var program = await Scenario.NewProgramAsync();
        using var client = Api.Client(Tokens.Customer("alice"));

        var response = await client.GetAsync(new Uri($"/v1/programs/{program}/codes", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    /// <summary>The export read back with CsvHelper into the JSON listing's record (empty fields are nulls).</summary>
    internal static List<CodeResource> ReadCsv(string text)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = args => args.Header.ToUpperInvariant(),
        };
        using var reader = new StringReader(text);
        using var csv = new CsvReader(reader, configuration);
        csv.Context.TypeConverterOptionsCache.GetOptions<string>().NullValues.Add("");
        return [.. csv.GetRecords<CodeResource>()];
    }

    /// <summary>A program with this many personal codes (one per new customer).</summary>
    private static async Task<(Guid Program, List<string> Codes)> ProgramWithCodesAsync(int count)
    {
        var program = await Scenario.NewProgramAsync();
        var codes = new List<string>();
        for (var i = 0; i < count; i++)
        {
            codes.Add(await Scenario.CodeForAsync(program, Api.NewCustomerId("owner")));
        }
        return (program, codes);
    }
}

public sealed class CodeListingPlanTests
{
    [Test]
    public async Task Postgres_inlines_list_codes_so_that_the_export_streams()
    {
        if (!ReferralService.Tests.TestRun.Database.IsPostgres)
        {
            Assert.Ignore("The database of this run is SQL Server.");
        }
        await using var connection = new Npgsql.NpgsqlConnection(ReferralService.Tests.TestRun.Database.ConnectionString);
        await connection.OpenAsync();
        // As the service calls it; a Function Scan would mean the whole answer is collected before the first row is sent.
        await using var command = new Npgsql.NpgsqlCommand(
            "EXPLAIN SELECT * FROM list_codes(p_program_id => @program_id, p_owner_id => @owner_id, p_batch_id => @batch_id, "
            + "p_status => @status, p_starting_after => @starting_after, p_page_size => @page_size)", connection);
        command.Parameters.AddWithValue("program_id", Guid.NewGuid());
        command.Parameters.AddWithValue("owner_id", DBNull.Value);
        command.Parameters.AddWithValue("batch_id", DBNull.Value);
        command.Parameters.AddWithValue("status", DBNull.Value);
        command.Parameters.AddWithValue("starting_after", DBNull.Value);
        command.Parameters.AddWithValue("page_size", DBNull.Value);
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.That(plan, Has.None.Contains("Function Scan"), string.Join('\n', plan));
    }
}
