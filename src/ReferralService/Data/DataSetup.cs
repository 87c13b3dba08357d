using Dapper;
using Microsoft.Extensions.Options;

namespace ReferralService.Data;

internal static class DataSetup
{
    public static IServiceCollection AddReferralData(this IServiceCollection services)
    {
        // Result columns are lower_snake_case on both engines; records are PascalCase.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new DateOnlyTypeHandler());

        services.AddOptions<DatabaseOptions>().BindConfiguration("Database").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IDbDialect>(provider =>
        {
            var connectionString = provider.GetRequiredService<IConfiguration>().GetConnectionString("Referral");
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("ConnectionStrings:Referral is not set (see README).");
            }
            return provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider switch
            {
                DatabaseProvider.SqlServer => new SqlServerDialect(connectionString),
                _ => new PostgresDialect(connectionString),
            };
        });
        services.AddSingleton<Db>();
        return services;
    }
}
