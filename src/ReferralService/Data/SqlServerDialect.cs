using System.Data;
using System.Data.Common;
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

    public void ClearPool() => SqlConnection.ClearAllPools();

    public void Migrate(string scriptsRoot)
    {
        Migrations.Deploy(DeployChanges.To.SqlDatabase(connectionString), Path.Combine(scriptsRoot, "sqlserver"));
    }
}
