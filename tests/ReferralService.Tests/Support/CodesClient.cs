using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace ReferralService.Tests.Support;

internal sealed class CodesClient(HttpClient http) : FeatureClient(http)
{
    private readonly HttpClient http = http;

    /// <summary>Created the first time, OK after.</summary>
    public Task<Response<ReferralCode>> GetOrCreateCodeAsync(Guid programId, string customerId) =>
        PutAsync<ReferralCode>($"/v1/programs/{programId}/customers/{Escaped(customerId)}/referral-code");

    /// <summary>Whether the customer could redeem the code, and if not, why.</summary>
    public Task<Response<CodeCheck>> CheckCodeAsync(string code, string? customerId = null) =>
        GetAsync<CodeCheck>(WithQuery($"/v1/codes/{Escaped(code)}", ("customerId", customerId)));

    /// <summary>One page of a program's codes, in code order.</summary>
    public Task<Response<CodePage>> ListCodesAsync(Guid programId, int? limit = null, string? startingAfter = null, CodeFilter? filter = null) =>
        GetAsync<CodePage>(WithQuery($"/v1/programs/{programId}/codes",
            [("limit", limit?.ToString(CultureInfo.InvariantCulture)), ("startingAfter", startingAfter), .. Arguments(filter)]));

    /// <summary>Every code of the filter, page by page (the pages asserted OK).</summary>
    public async Task<List<CodeResource>> ListAllCodesAsync(Guid programId, int limit, CodeFilter? filter = null)
    {
        var codes = new List<CodeResource>();
        string? after = null;
        do
        {
            var page = await ListCodesAsync(programId, limit, after, filter).Ok();
            Assert.That(page.Data, Has.Count.LessThanOrEqualTo(limit));
            Assert.That(page.NextStartingAfter, page.HasMore ? Is.EqualTo(page.Data[^1].Code) : Is.Null);
            codes.AddRange(page.Data);
            after = page.NextStartingAfter;
        }
        while (after is not null);
        return codes;
    }

    /// <summary>The CSV export: by Accept: text/csv, or by ?format=csv when <paramref name="byAccept"/> is false.</summary>
    public async Task<(HttpStatusCode Status, string? MediaType, string? FileName, string Text)> ExportCodesAsync(
        Guid programId, CodeFilter? filter = null, bool byAccept = true)
    {
        var path = WithQuery($"/v1/programs/{programId}/codes", [.. Arguments(filter), ("format", byAccept ? null : "csv")]);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (byAccept)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        }
        using var response = await http.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType,
            response.Content.Headers.ContentDisposition?.FileName, await response.Content.ReadAsStringAsync());
    }

    public Task<Response<CodeResource>> UpdateCodeAsync(string code, object changes) => PatchAsync<CodeResource>($"/v1/codes/{Escaped(code)}", changes);

    private static (string, string?)[] Arguments(CodeFilter? filter) =>
        [("ownerId", filter?.OwnerId), ("batchId", filter?.BatchId?.ToString()), ("status", filter?.Status)];

    /// <summary>The dry run of a redemption at checkout.</summary>
    public Task<Response<CodeCheck>> CheckCodeAsync(Checkout checkout) =>
        GetAsync<CodeCheck>(WithQuery($"/v1/codes/{Escaped(checkout.Code)}", ("customerId", checkout.CustomerId),
            ("orderAmount", checkout.OrderAmount?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("currency", checkout.Currency),
            ("customerOrderCount", checkout.CustomerOrderCount?.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    public Task<Response<CodeResource>> CreateCodeAsync(Guid programId, NewCode code, string? idempotencyKey = null) =>
        PostAsync<CodeResource>($"/v1/programs/{programId}/codes", code, idempotencyKey);
}

internal sealed record CodeFilter(string? OwnerId = null, Guid? BatchId = null, string? Status = null);

internal sealed record CodePage(IReadOnlyList<CodeResource> Data, bool HasMore, string? NextStartingAfter);

internal sealed record ReferralCode(string Code, Guid ProgramId, string CustomerId, Uri ShareUrl);

internal sealed record CodeCheck(
    string Code, Guid ProgramId, string? OwnerId, bool Valid, string? Reason, string Kind, long? Discount, long Credit);

internal sealed record NewCode(string Code, string? OwnerId = null, int? MaxRedemptions = null, DateTimeOffset? ExpiresAt = null);

/// <summary>A code of any kind (personal, vanity or batch); its fields are also the columns of the CSV export.</summary>
internal sealed record CodeResource(
    string Code, Guid ProgramId, string? OwnerId, string Source, string Status, int? MaxRedemptions, DateTimeOffset? ExpiresAt,
    Guid? BatchId, DateTimeOffset CreatedAt);
