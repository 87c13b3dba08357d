using System.ComponentModel.DataAnnotations;

namespace ReferralService.Data;

internal enum DatabaseProvider
{
    Postgres,
    SqlServer,
}

internal sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Postgres;

    public bool MigrateOnStartup { get; set; } = true;

    [Range(1, 60)]
    public int CommandTimeoutSeconds { get; set; } = 15;
}
