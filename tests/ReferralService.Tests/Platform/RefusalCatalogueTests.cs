using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ReferralService.Data;
using ReferralService.Infrastructure;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Platform;

/// <summary>Every code the API can answer with is declared once (Infrastructure/Refusals.cs), and the contract lists it.</summary>
public sealed partial class RefusalCatalogueTests
{
    [GeneratedRegex(@"status := '([a-z_]+)'|THEN '([a-z_]+)' ELSE 'ok'|VALUES \('([a-z_]+)'\)|""status"": ""([a-z_]+)""")]
    private static partial Regex StatusWord();

    [TestCase("postgres")]
    [TestCase("sqlserver")]
    public void Every_status_word_a_procedure_returns_is_an_outcome_or_a_catalogued_refusal(string engine)
    {
        var words = Directory.EnumerateFiles(Path.Combine(Repository.Root, "db", engine, "procedures"), "*.sql", SearchOption.AllDirectories)
            .SelectMany(path => StatusWord().Matches(File.ReadAllText(path)))
            .Select(match => match.Groups.Values.Skip(1).First(g => g.Success).Value)
            .Distinct()
            .ToList();

        Assert.That(words, Does.Contain("idempotency_key_reused").And.Contain("insufficient_credit").And.Contain("code_collision"));
        Assert.That(words.Where(word => !Outcomes.IsKnown(word)), Is.Empty);
    }

    [Test]
    public async Task A_status_word_the_catalogue_lacks_is_a_server_error_that_names_the_procedure()
    {
        if (!TestRun.Database.IsPostgres)
        {
            Assert.Ignore("The stray procedure is written in PL/pgSQL.");
        }
        await using (var connection = new NpgsqlConnection(TestRun.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand(
                "CREATE OR REPLACE FUNCTION test_stray_status(p_id uuid) RETURNS SETOF program_row LANGUAGE sql AS " +
                "$$ SELECT jsonb_populate_record(NULL::program_row, '{\"status\": \"made_up_refusal\"}') $$", connection);
            await create.ExecuteNonQueryAsync();
        }
        var db = TestRun.Service.Services.GetRequiredService<Db>();

        var failure = Assert.ThrowsAsync<UnknownStatusException>(() => db.QuerySingleAsync(new StrayStatusCall(Guid.NewGuid()), default));

        Assert.That(failure!.Message, Does.Contain("test_stray_status").And.Contain("made_up_refusal"));
    }

    [Test]
    public async Task Every_operation_is_named_after_its_handler_and_lists_the_codes_of_each_problem_it_can_answer()
    {
        using var anonymous = Api.Client(null);
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/swagger/v1/swagger.json"));
        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Route: $"{op.Name.ToUpperInvariant()} {path.Name}", Operation: op.Value)))
            .Where(op => op.Route.Contains("/v1/", StringComparison.Ordinal))
            .ToList();

        Assert.That(operations, Has.Count.GreaterThanOrEqualTo(16));
        Assert.Multiple(() =>
        {
            foreach (var (route, operation) in operations)
            {
                Assert.That(operation.TryGetProperty("operationId", out var id) && Regex.IsMatch(id.GetString()!, "^[A-Z][A-Za-z]+$"), Is.True, route);
                foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
                {
                    var examples = response.Value.GetProperty("content").GetProperty("application/problem+json").GetProperty("examples");
                    foreach (var example in examples.EnumerateObject())
                    {
                        Assert.That(Refusals.TryFind(example.Name, out var refusal) && refusal.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) == response.Name,
                            Is.True, $"{route} {response.Name}: {example.Name}");
                    }
                    Assert.That(examples.EnumerateObject().Count(), Is.GreaterThan(0), $"{route} {response.Name} lists no code");
                }
                Assert.That(operation.GetProperty("responses").TryGetProperty("401", out _), Is.True, $"{route} documents 401");
            }
        });
    }

    [Test]
    public async Task A_refusal_answers_with_the_catalogue_status_and_title()
    {
        var (_, _, friend, _) = await Scenario.RewardedPairAsync();
        using var merchant = Api.Merchant();
        await merchant.Credits.SpendAsync(friend, 300, "cat-1").Created();

        var problem = await merchant.Credits.SpendAsync(friend, 400, "cat-1").Refused(HttpStatusCode.Conflict, Refusals.DuplicateOrder.Code);

        Assert.That(problem.Title, Is.EqualTo(Refusals.DuplicateOrder.Title));
    }
}

[Procedure("test_stray_status", ProcedureKind.Lookup)]
internal sealed record StrayStatusCall(Guid Id) : IProcedureCall<Outcome<ReferralService.Programs.ProgramRow>>;
