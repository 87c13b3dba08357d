using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using DbUp;
using Npgsql;

namespace ReferralService.Data;

/// <summary>
/// PostgreSQL: procedures are functions, called as SELECT * FROM name(p_x => @x, ...). Two pools on one
/// connection string. Writes and long reads hold a server connection each. Lookups are multiplexed: many
/// callers' commands share a few connections and reach the server in batches (fewer system calls and
/// wake-ups). Reports stay off that pool, since every lookup queued behind a long query would wait for it.
/// </summary>
internal sealed class PostgresDialect : IDbDialect, IDisposable
{
    private readonly string connectionString;
    private readonly NpgsqlDataSource dataSource;
    private readonly NpgsqlDataSource lookups;
    private readonly ConcurrentDictionary<string, string> calls = new();

    public PostgresDialect(string connectionString)
    {
        this.connectionString = connectionString;
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var tuned = Tuned(connectionString, given);
        dataSource = NpgsqlDataSource.Create(tuned.ConnectionString);
        // Multiplexing needs pooling; a connection string that turns pooling off gets two plain sources.
        if (!Given(given, "Multiplexing") && tuned.Pooling)
        {
            tuned.Multiplexing = true;
        }
        lookups = NpgsqlDataSource.Create(tuned.ConnectionString);
    }

    /// <summary>
    /// Defaults for a connection that only ever calls procedures, unless the connection string says
    /// otherwise: no DISCARD ALL when a connection goes back to the pool (nothing here changes session
    /// state, and it would throw away PL/pgSQL's cached plans on every request), and the few call
    /// statements prepared on the server after a few uses.
    /// </summary>
    private static NpgsqlConnectionStringBuilder Tuned(string connectionString, DbConnectionStringBuilder given)
    {
        var tuned = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Given(given, "No Reset On Close", "NoResetOnClose"))
        {
            tuned.NoResetOnClose = true;
        }
        if (!Given(given, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            tuned.MaxAutoPrepare = 32;
        }
        return tuned;
    }

    private static bool Given(DbConnectionStringBuilder given, params string[] keys) => keys.Any(given.ContainsKey);

    public async ValueTask<DbConnection> OpenConnectionAsync(Procedure procedure, CancellationToken ct) =>
        await (procedure.Lookup ? lookups : dataSource).OpenConnectionAsync(ct).ConfigureAwait(false);

    // CommandType.StoredProcedure would send CALL, which returns no rows: always a text SELECT, built once
    // per procedure.
    public (string Text, CommandType Type) Call(Procedure procedure) =>
        (calls.GetOrAdd(procedure.Name, static (_, p) =>
            $"SELECT * FROM {p.Name}({string.Join(", ", p.Parameters.Select(x => $"p_{x} => @{x}"))})", procedure),
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

    // Npgsql breaks the connection when the server or the network goes away; a command timeout cancels
    // the statement and keeps the connection (unless the cancellation itself fails, which breaks it).
    public bool IsConnectionLost(Exception exception, DbConnection connection) =>
        IsTransient(exception) && !IsCertainRollback(exception) && exception.InnerException is not TimeoutException;

    // A failed statement aborts its (implicit) transaction, and Npgsql rolls back any transaction left open when a
    // connection returns to its pool: nothing to end here.
    public Task EndTransactionAsync(DbConnection connection) => Task.CompletedTask;

    public void ClearPool(DbConnection connection)
    {
        dataSource.Clear();
        lookups.Clear();
    }

    public void Dispose()
    {
        dataSource.Dispose();
        lookups.Dispose();
    }

    // Npgsql sends a string array as text[] (Dapper passes arrays through on Npgsql).
    public object CodeList(CodeList codes) => codes.Codes as string[] ?? [.. codes.Codes];

    // Version 7: the time comes first in uuid order, as PostgreSQL compares uuids byte by byte.
    public Guid NewId() => Guid.CreateVersion7();

    public void Migrate(string scriptsRoot)
    {
        Migrations.Deploy(() => DeployChanges.To.PostgresqlDatabase(connectionString), Path.Combine(scriptsRoot, "postgres"));
    }
}
