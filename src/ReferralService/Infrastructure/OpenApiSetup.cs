using Microsoft.OpenApi;

namespace ReferralService.Infrastructure;

internal static class OpenApiSetup
{
    public static IServiceCollection AddReferralOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "ReferralService",
                Version = "v1",
                Description = "Referral codes, redemptions and a two-sided credit ledger. Amounts are integers in minor units. "
                    + "Every state-changing POST accepts an Idempotency-Key header; a key replays its first answer for 24 hours. Errors are RFC 9457 ProblemDetails with a stable `code`.",
            });
            options.AddSecurityDefinition("Bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT with a `role` claim (admin, merchant, finance or customer); a customer token's `sub` is the customer id.",
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("Bearer", document)] = [],
            });
            options.CustomSchemaIds(type => type.Name);
            options.OperationFilter<RefusalExamples>();
            options.OperationFilter<CsvResponses>();
            // Report sums are decimal in C# only because they can pass 2^63; on the wire they are whole numbers.
            options.MapType<decimal>(() => new OpenApiSchema { Type = JsonSchemaType.Integer });
        });
        return services;
    }
}
