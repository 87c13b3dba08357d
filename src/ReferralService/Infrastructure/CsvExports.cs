using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ReferralService.Infrastructure;

/// <summary>An endpoint that also answers its 200 as a streamed CSV with these columns (Accept: text/csv).</summary>
internal sealed record CsvExportMetadata(IReadOnlyList<string> Columns);

internal static class CsvExports
{
    public const string MediaType = "text/csv";

    /// <summary>Declares the CSV form of an endpoint's 200 answer beside its JSON one (ApiExplorer keeps one type per status).</summary>
    public static RouteHandlerBuilder ExportsCsv(this RouteHandlerBuilder builder, params string[] columns) =>
        builder.WithMetadata(new CsvExportMetadata(columns));
}

/// <summary>Adds text/csv, with its header line as the example, to the 200 answer of each endpoint that declares <see cref="CsvExportMetadata"/>.</summary>
internal sealed class CsvExportDocumentation : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var export = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<CsvExportMetadata>().FirstOrDefault();
        if (export is null || operation.Responses is null || !operation.Responses.TryGetValue("200", out var response) || response is not OpenApiResponse ok)
        {
            return;
        }
        ok.Content ??= new Dictionary<string, OpenApiMediaType>();
        ok.Content[CsvExports.MediaType] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "RFC 4180 CSV, UTF-8, a header line then one line per row." },
            Example = System.Text.Json.Nodes.JsonValue.Create(string.Join(',', export.Columns) + "\n"),
        };
    }
}
