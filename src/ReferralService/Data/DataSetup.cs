using Dapper;

namespace ReferralService.Data;

internal static class DataSetup
{
    public static IServiceCollection AddReferralData(this IServiceCollection services, IConfiguration configuration)
    {
        // Result columns are lower_snake_case on both engines; records are PascalCase.
        DefaultTypeMap.MatchNamesWithUnderscores = true;

        services.AddOptions<DatabaseOptions>().BindConfiguration("Database").ValidateDataAnnotations().ValidateOnStart();
        var provider = configuration.GetValue("Database:Provider", DatabaseProvider.Postgres);
        services.AddSingleton<IDbDialect>(_ =>
        {
            var connectionString = configuration.GetConnectionString("Referral");
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("ConnectionStrings:Referral is not set (see README).");
            }
            return provider switch
            {
                DatabaseProvider.SqlServer => new SqlServerDialect(connectionString),
                _ => new PostgresDialect(connectionString),
            };
        });
        services.AddSingleton<Db>();
        return services;
    }
}
