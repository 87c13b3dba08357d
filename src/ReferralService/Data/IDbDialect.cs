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

    /// <summary>Drops pooled connections, so that after a failover or restart no request draws a dead one.</summary>
    void ClearPool();

    void Migrate(string scriptsRoot);
}
