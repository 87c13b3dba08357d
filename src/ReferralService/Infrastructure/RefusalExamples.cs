using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ReferralService.Infrastructure;

/// <summary>
/// Lists under each problem status of an operation the refusal codes it can answer with, as one named example
/// per code, from the endpoint's <see cref="RefusalMetadata"/>: the document cannot drift from the catalogue.
/// </summary>
internal sealed class RefusalExamples : IOperationFilter
{
    private const string ProblemJson = "application/problem+json";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var refusals = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<RefusalMetadata>()
            .SelectMany(m => m.Refusals).DistinctBy(r => r.Code);
        foreach (var byStatus in refusals.GroupBy(r => r.Status))
        {
            var status = byStatus.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses is null || !operation.Responses.TryGetValue(status, out var response)
                || response.Content is null || !response.Content.TryGetValue(ProblemJson, out var media))
            {
                continue;
            }
            media.Examples ??= new Dictionary<string, IOpenApiExample>();
            foreach (var refusal in byStatus.OrderBy(r => r.Code, StringComparer.Ordinal))
            {
                media.Examples[refusal.Code] = new OpenApiExample
                {
                    Summary = refusal.Title,
                    Value = new JsonObject
                    {
                        ["type"] = Problems.TypeFor(refusal.Code),
                        ["title"] = refusal.Title,
                        ["status"] = refusal.Status,
                        ["code"] = refusal.Code,
                    },
                };
            }
        }
    }
}
