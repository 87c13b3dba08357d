using System.Data;
using System.Data.Common;
using DbUp;
using Npgsql;

namespace ReferralService.Data;

/// <summary>PostgreSQL: procedures are functions, called as SELECT * FROM name(p_x => @x, ...).</summary>
internal sealed class PostgresDialect(string connectionString) : IDbDialect, IDisposable
{
    private readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(Tuned(connectionString));

    /// <summary>
    /// Defaults for a connection that only ever calls procedures, unless the connection string says
    /// otherwise: no DISCARD ALL when a connection goes back to the pool (nothing here changes session
    /// state, and it would throw away PL/pgSQL's cached plans on every request), and the few call
    /// statements prepared on the server after a few uses.
    /// </summary>
    private static string Tuned(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var tuned = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            tuned.NoResetOnClose = true;
        }
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            tuned.MaxAutoPrepare = 32;
        }
        return tuned.ConnectionString;
    }

    public async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken ct) =>
        await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);

    // CommandType.StoredProcedure would send CALL, which returns no rows: always a text SELECT.
    public (string Text, CommandType Type) Call(Procedure procedure) =>
        ($"SELECT * FROM {procedure.Name}({string.Join(", ", procedure.Parameters.Select(p => $"p_{p} => @{p}"))})",
            CommandType.Text);

    // 40001 serialization_failure, 40P01 deadlock_detected: the server rolled the transaction back.
    public bool IsCertainRollback(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };

    public bool IsTransient(Exception exception) => exception switch
    {
        PostgresException pg => IsCertainRollback(pg) || pg.IsTransient
            || pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CannotConnectNow,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or System.Net.Sockets.SocketException,
        _ => false,
    };

    public void ClearPool() => dataSource.Clear();

    public void Dispose() => dataSource.Dispose();

    public void Migrate(string scriptsRoot)
    {
        Migrations.Deploy(DeployChanges.To.PostgresqlDatabase(connectionString), Path.Combine(scriptsRoot, "postgres"));
    }
}
