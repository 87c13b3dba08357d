using System.Data;
using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using DbUp;
using Microsoft.Data.SqlClient;

namespace ReferralService.Data;

/// <summary>SQL Server: procedures in dbo, called as RPCs with named parameters.</summary>
internal sealed class SqlServerDialect(string connectionString) : IDbDialect
{
    // 1205 deadlock victim, 3960 snapshot update conflict, 51205 idempotency key claimed by a concurrent
    // request (dbo.idempotency_finish): the server rolled the transaction back.
    private static readonly HashSet<int> CertainRollback = [1205, 3960, 51205];

    // SqlClient's transient list (connection loss, failover, throttling, database not yet available).
    private static readonly HashSet<int> Transient =
        [-2, 20, 64, 233, 4060, 4221, 10053, 10054, 10060, 10928, 10929, 40143, 40197, 40501, 40540, 40613, 42108, 42109, 49918, 49919, 49920];

    public async ValueTask<DbConnection> OpenConnectionAsync(Procedure procedure, CancellationToken ct)
    {
        var connection = new SqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public (string Text, CommandType Type) Call(Procedure procedure) => ($"dbo.{procedure.Name}", CommandType.StoredProcedure);

    public bool IsCertainRollback(Exception exception) =>
        exception is SqlException sql && sql.Errors.Cast<SqlError>().Any(e => CertainRollback.Contains(e.Number));

    public bool IsTransient(Exception exception) =>
        exception is SqlException sql && sql.Errors.Cast<SqlError>().Any(e => CertainRollback.Contains(e.Number) || Transient.Contains(e.Number));

    // Lost means SqlClient closed the connection: a network error, or a server error of severity 20 or
    // more, which ends the session. A command timeout (-2) only sends an attention: the server cancels
    // the batch (EndTransactionAsync rolls back what it leaves open) and the session stays open, so under blocking
    // many timeouts would otherwise empty a pool of good connections. Deadlocks (1205) and lock timeouts
    // (1222) likewise leave the session as it was.
    public bool IsConnectionLost(Exception exception, DbConnection connection) =>
        exception is SqlException sql && (connection.State != ConnectionState.Open || sql.Errors.Cast<SqlError>().Any(e => e.Class >= 20));

    // The procedures switch XACT_ABORT off around an insert whose duplicate key they handle; a timeout or a
    // cancellation in that window ends the batch and leaves the transaction open, holding its locks. Roll it
    // back here; if even that fails, the session is not to be trusted: drop the pool's connections.
    public async Task EndTransactionAsync(DbConnection connection)
    {
        try
        {
            await using var rollback = new SqlCommand("IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;", (SqlConnection)connection) { CommandTimeout = 5 };
            await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SqlException or InvalidOperationException)
        {
            SqlConnection.ClearPool((SqlConnection)connection);
        }
    }

    // Only this connection string's pool: ClearAllPools would also empty pools this service does not own.
    public void ClearPool(DbConnection connection) => SqlConnection.ClearPool((SqlConnection)connection);

    // A table-valued parameter of type dbo.code_list (schema 0008); one chunk of codes, so a DataTable is small.
    public object CodeList(CodeList codes)
    {
        var table = new DataTable();
        table.Columns.Add("code", typeof(string));
        foreach (var code in codes.Codes)
        {
            table.Rows.Add(code);
        }
        return table.AsTableValuedParameter("dbo.code_list");
    }

    // programs, redemptions and spends are clustered on their uniqueidentifier id. SQL Server compares
    // uniqueidentifiers by bytes 10-15 of the .NET layout first (then 8-9, 6-7, 4-5, 0-3: SqlGuid's order),
    // where a version 7 id holds random bits, so v7 ids would land at random pages. These ids put the same
    // 48-bit Unix millisecond time in bytes 10-15, most significant first, and random bits elsewhere; the
    // version nibble says 8 (RFC 9562's custom layout), since they are not v7.
    public Guid NewId() => SqlServerIds.New(DateTimeOffset.UtcNow);

    public void Migrate(string scriptsRoot)
    {
        var engineFolder = Path.Combine(scriptsRoot, "sqlserver");
        Prepare(Path.Combine(engineFolder, "prerequisites.sql"));
        Migrations.Deploy(() => DeployChanges.To.SqlDatabase(connectionString), engineFolder);
    }

    // Compatibility level and snapshot isolation, checked (and set where the login may) outside any
    // transaction, before DbUp: see db/sqlserver/prerequisites.sql.
    private void Prepare(string script)
    {
        using var connection = new SqlConnection(connectionString);
        connection.Open();
        using var command = new SqlCommand(File.ReadAllText(script), connection) { CommandTimeout = 120 };
        try
        {
            command.ExecuteNonQuery();
        }
        catch (SqlException ex) when (ex.Number == 50000)
        {
            throw new InvalidOperationException(ex.Message, ex);
        }
    }
}

/// <summary>Ids in SQL Server's uniqueidentifier order (see <see cref="SqlServerDialect.NewId"/>).</summary>
internal static class SqlServerIds
{
    public static Guid New(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[..10]);
        var milliseconds = now.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[15 - i] = (byte)(milliseconds >> (8 * i));
        }
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // version 8: the high nibble of the third field
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes);
    }
}
