using System.Data;
using System.Data.Common;

namespace ReferralService.Data;

/// <summary>Everything that differs between the two engines, in one place per engine.</summary>
internal interface IDbDialect
{
    /// <summary>An open connection to call <paramref name="procedure"/> on.</summary>
    ValueTask<DbConnection> OpenConnectionAsync(Procedure procedure, CancellationToken ct);

    /// <summary>How this engine calls a procedure: command text and command type.</summary>
    (string Text, CommandType Type) Call(Procedure procedure);

    /// <summary>The server rolled the whole transaction back (deadlock, serialization failure): always safe to retry.</summary>
    bool IsCertainRollback(Exception exception);

    /// <summary>A fault that may pass (connection lost, failover, server restarting).</summary>
    bool IsTransient(Exception exception);

    /// <summary>
    /// The call failed because its connection was lost (server restart, failover, network), so the pool's
    /// other connections are likely dead too. Not for a command timeout, a deadlock or a lock timeout: the
    /// server rolled back or cancelled the call and the session lives on.
    /// </summary>
    bool IsConnectionLost(Exception exception, DbConnection connection);

    /// <summary>
    /// Rolls back whatever transaction a failed call left open on a live session (SQL Server: a client abort
    /// ends the batch but not its transaction when XACT_ABORT was off for the statement running).
    /// </summary>
    Task EndTransactionAsync(DbConnection connection);

    /// <summary>Drops the pooled connections of this service's connection string, so that no request draws a dead one.</summary>
    void ClearPool(DbConnection connection);

    /// <summary>A list of codes as this engine takes it as one procedure argument.</summary>
    object CodeList(CodeList codes);

    /// <summary>A new id for a row, ascending in this engine's uniqueidentifier/uuid order (clustered keys fill pages in order).</summary>
    Guid NewId();

    void Migrate(string scriptsRoot);
}
