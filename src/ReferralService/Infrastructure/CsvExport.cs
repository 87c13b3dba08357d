using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ReferralService.Infrastructure;

/// <summary>
/// The CSV answer of a list endpoint (<c>Accept: text/csv</c> or <c>?format=csv</c>): the whole filtered list,
/// written with CsvHelper straight to the response body as the rows arrive, so memory stays flat however long the
/// list. The columns are the JSON fields, named and formatted alike (camelCase, ISO-8601 UTC instants, empty for null).
/// </summary>
internal static class CsvExport
{
    public const string MediaType = "text/csv";

    // Rows between explicit flushes: the client sees a long export arrive as it is read, not only when buffers fill.
    private const int FlushEvery = 1000;

    // As System.Text.Json writes a UTC DateTime: no trailing zeros in the fraction, and no fraction when it is zero.
    private static readonly string[] InstantFormat = ["yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'"];

    /// <summary>Whether the caller asked for CSV: <c>format=csv</c>, or text/csv ranked above JSON in Accept.</summary>
    public static bool IsWanted(HttpRequest request, string? format)
    {
        if (format is not null)
        {
            return format == "csv";
        }
        var accepted = request.GetTypedHeaders().Accept;
        var best = accepted.Where(a => a.Quality is not 0)
            .OrderByDescending(a => a.Quality ?? 1)
            .FirstOrDefault(a => a.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase)
                || a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));
        return best is not null && best.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether a format argument is one this list knows.</summary>
    public static bool IsFormat(string? format) => format is null or "json" or "csv";

    /// <summary>Writes the header and every record, flushing as it goes; the records are read once, as they come.</summary>
    public static async Task WriteAsync<T>(HttpResponse response, string fileName, IAsyncEnumerable<T> records, CancellationToken ct)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = $"{MediaType}; charset=utf-8";
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = fileName }.ToString();
        // Only the async writes reach the body (Kestrel refuses synchronous I/O): CsvHelper buffers a record and
        // hands it on in NextRecordAsync, the StreamWriter passes its buffer on with WriteAsync.
        var text = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);
        await using (text.ConfigureAwait(false))
        {
            var csv = new CsvWriter(text, CultureInfo.InvariantCulture, leaveOpen: true);
            await using (csv.ConfigureAwait(false))
            {
                csv.Context.RegisterClassMap(CamelCaseMap<T>(csv));
                foreach (var type in new[] { typeof(DateTime), typeof(DateTime?) })
                {
                    csv.Context.TypeConverterOptionsCache.GetOptions(type).Formats = InstantFormat;
                }
                csv.WriteHeader<T>();
                await csv.NextRecordAsync().ConfigureAwait(false);
                var written = 0;
                await foreach (var record in records.WithCancellation(ct).ConfigureAwait(false))
                {
                    csv.WriteRecord(record);
                    await csv.NextRecordAsync().ConfigureAwait(false);
                    if (++written % FlushEvery == 0)
                    {
                        await csv.FlushAsync().ConfigureAwait(false);
                    }
                }
                await csv.FlushAsync().ConfigureAwait(false);
            }
        }
    }

    private static ClassMap<T> CamelCaseMap<T>(CsvWriter csv)
    {
        var map = csv.Context.AutoMap<T>();
        foreach (var member in map.MemberMaps)
        {
            member.Name(JsonNamingPolicy.CamelCase.ConvertName(member.Data.Member!.Name));
        }
        return map;
    }

    /// <summary>Declares that an endpoint's 200 answer may also be text/csv (the OpenAPI document and Swagger UI offer it).</summary>
    public static RouteHandlerBuilder ProducesCsv(this RouteHandlerBuilder builder, string columns) =>
        builder.WithMetadata(new CsvExportMetadata(columns));
}

/// <summary>An endpoint answers text/csv too; the description names its columns.</summary>
internal sealed record CsvExportMetadata(string Columns);

/// <summary>Adds text/csv beside application/json to the 200 answer of every endpoint declared <c>ProducesCsv</c>.</summary>
internal sealed class CsvResponses : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var csv = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<CsvExportMetadata>().FirstOrDefault();
        if (csv is null || operation.Responses is null || !operation.Responses.TryGetValue("200", out var ok) || ok.Content is null)
        {
            return;
        }
        ok.Content[CsvExport.MediaType] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = $"The whole filtered list (no pages), streamed; a header row, then one row per item: {csv.Columns}.",
            },
        };
    }
}
