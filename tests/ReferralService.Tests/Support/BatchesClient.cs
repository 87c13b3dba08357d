using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using CsvHelper;
using CsvHelper.Configuration;

namespace ReferralService.Tests.Support;

internal sealed class BatchesClient(HttpClient http) : FeatureClient(http)
{
    /// <summary>Accepted (202) with the batch; its codes are generated in the background.</summary>
    public Task<Response<CodeBatch>> CreateBatchAsync(Guid programId, NewCodeBatch batch, string? idempotencyKey = null) =>
        PostAsync<CodeBatch>($"/v1/programs/{programId}/code-batches", batch, idempotencyKey);

    public Task<Response<CodeBatch>> GetBatchAsync(Guid batchId) => GetAsync<CodeBatch>($"/v1/code-batches/{batchId}");

    /// <summary>The batch a Location header points at.</summary>
    public Task<Response<CodeBatch>> GetBatchAsync(Uri location) => GetAsync<CodeBatch>(location.OriginalString);

    public Task<Response<BatchCodePage>> ListCodesAsync(Guid batchId, int? limit = null, string? startingAfter = null) =>
        GetAsync<BatchCodePage>(WithQuery($"/v1/code-batches/{batchId}/codes",
            ("limit", limit?.ToString(CultureInfo.InvariantCulture)), ("startingAfter", startingAfter)));

    /// <summary>Every code of the batch as CSV, asked for with Accept: text/csv (or ?format=csv), parsed back with CsvHelper.</summary>
    public async Task<IReadOnlyList<BatchCode>> ListCodesAsCsvAsync(Guid batchId, bool byAcceptHeader = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/code-batches/{batchId}/codes" + (byAcceptHeader ? "" : "?format=csv"));
        if (byAcceptHeader)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        }
        using var response = await SendStreamingAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        // Headers are camelCase, as the JSON's names; the records' properties PascalCase.
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = args => args.Header.ToUpperInvariant(),
        });
        var codes = new List<BatchCode>();
        await foreach (var code in csv.GetRecordsAsync<BatchCode>())
        {
            codes.Add(code);
        }
        return codes;
    }
}

/// <summary>Either Pattern, or Length with an optional Prefix.</summary>
internal sealed record NewCodeBatch(
    int Count, string? Pattern = null, string? Prefix = null, int? Length = null, int? MaxRedemptions = null, DateTimeOffset? ExpiresAt = null);

internal sealed record CodeBatch(
    Guid Id, Guid ProgramId, string Pattern, int Count, int Generated, string Status, double Bits,
    int? MaxRedemptions, DateTimeOffset? ExpiresAt, string? FailureReason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt);

internal sealed record BatchCode(string Code, string Status, int? MaxRedemptions, DateTimeOffset? ExpiresAt, DateTimeOffset CreatedAt);

internal sealed record BatchCodePage(IReadOnlyList<BatchCode> Data, bool HasMore, string? NextStartingAfter);
