using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using ReferralService.Infrastructure;

namespace ReferralService.Data;

/// <summary>
/// Runs one procedure call as one transaction, inside a retry pipeline. A retry is only made when
/// it cannot apply anything twice: the call never reached the server, the server rolled it back,
/// or <see cref="Procedure.MayRepeat"/> says a repeat is harmless.
/// </summary>
internal sealed class Db
{
    private static readonly ResiliencePropertyKey<bool> CommandSent = new("db.command-sent");
    private static readonly ResiliencePropertyKey<bool> SafeToRepeat = new("db.safe-to-repeat");

    private readonly IDbDialect dialect;
    private readonly ResiliencePipeline pipeline;
    private readonly int commandTimeout;

    public Db(IDbDialect dialect, IOptions<DatabaseOptions> options)
    {
        this.dialect = dialect;
        commandTimeout = options.Value.CommandTimeoutSeconds;
        pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && ShouldRetry(args.Context, ex)),
                MaxRetryAttempts = 4,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(50),
            })
            .Build();
    }

    public Guid NewId() => dialect.NewId();

    /// <summary>Calls a procedure that answers with exactly one row.</summary>
    public async Task<TRow> QuerySingleAsync<TRow>(IProcedureCall<TRow> call, CancellationToken ct)
    {
        var procedure = Procedure.Of(call.GetType());
        var rows = await RunAsync(procedure, call, (connection, command) => ReadAsync<TRow>(procedure, connection, command), ct)
            .ConfigureAwait(false);
        if (rows.Count != 1)
        {
            throw new InvalidOperationException($"{procedure.Name} answered with {rows.Count} rows where one was expected.");
        }
        // A status word the refusal catalogue lacks is a server error that names the procedure, never a client answer.
        if (rows[0] is IOutcome { Status: var status } && !Outcomes.IsKnown(status))
        {
            throw new UnknownStatusException(procedure.Name, status);
        }
        return rows[0];
    }

    /// <summary>Calls a procedure that answers with any number of rows.</summary>
    public async Task<IReadOnlyList<TRow>> QueryAsync<TRow>(IProcedureCall<TRow> call, CancellationToken ct)
    {
        var procedure = Procedure.Of(call.GetType());
        return await RunAsync(procedure, call, (connection, command) => ReadAsync<TRow>(procedure, connection, command), ct)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Streams a read procedure's rows as the server sends them, holding one connection until the caller stops
    /// reading: for exports, which must not hold a whole answer in memory. Outside the retry pipeline, which buffers:
    /// a retry repeats the call whole, and rows already passed on (written to a response) cannot be taken back, so a
    /// fault mid-stream ends the stream with its exception. Rows are read one at a time, not SequentialAccess: a
    /// code's row is small, and the row reader checks a row's required columns before parsing it (an ordinal read
    /// twice, which sequential access forbids).
    /// </summary>
    public async IAsyncEnumerable<TRow> StreamAsync<TRow>(IProcedureCall<TRow> call, [EnumeratorCancellation] CancellationToken ct)
    {
        var procedure = Procedure.Of(call.GetType());
        // A lookup runs on PostgreSQL's multiplexed pool, where a long read would hold up every other lookup.
        if (procedure.Kind != ProcedureKind.Read)
        {
            throw new InvalidOperationException($"{procedure.Name} is not a read; only reads stream.");
        }
        var (text, type) = dialect.Call(procedure);
        var connection = await dialect.OpenConnectionAsync(procedure, ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = text;
                command.CommandType = type;
                command.CommandTimeout = commandTimeout;
                foreach (var (name, value) in procedure.ArgumentsOf(call))
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    parameter.Value = value ?? DBNull.Value;
                    command.Parameters.Add(parameter);
                }
                var finished = false;
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                try
                {
                    var read = RowReader.For<TRow>(reader, procedure.Name);
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        yield return read(reader);
                    }
                    finished = true;
                }
                finally
                {
                    // A reader closed before its last row reads all the rest first (SqlClient documents Cancel as the
                    // way out); a caller that stopped early (the client went away) has no use for them.
                    if (!finished)
                    {
                        command.Cancel();
                    }
                    await reader.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task<List<TRow>> ReadAsync<TRow>(Procedure procedure, DbConnection connection, CommandDefinition command)
    {
        var reader = await connection.ExecuteReaderAsync(command).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var read = RowReader.For<TRow>(reader, procedure.Name);
            var rows = new List<TRow>();
            while (await reader.ReadAsync(command.CancellationToken).ConfigureAwait(false))
            {
                rows.Add(read(reader));
            }
            return rows;
        }
    }

    private bool ShouldRetry(ResilienceContext context, Exception exception)
    {
        if (!dialect.IsTransient(exception))
        {
            return false;
        }
        var sent = context.Properties.GetValue(CommandSent, false);
        return !sent || dialect.IsCertainRollback(exception) || context.Properties.GetValue(SafeToRepeat, false);
    }

    private async Task<T> RunAsync<T>(Procedure procedure, object call, Func<DbConnection, CommandDefinition, Task<T>> execute,
        CancellationToken ct)
    {
        var parameters = procedure.ParametersOf(call, dialect);
        var (text, type) = dialect.Call(procedure);

        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(SafeToRepeat, procedure.MayRepeat(call));
        try
        {
            return await pipeline.ExecuteAsync(async ctx =>
            {
                ctx.Properties.Set(CommandSent, false);
                await using var connection = await dialect.OpenConnectionAsync(procedure, ctx.CancellationToken).ConfigureAwait(false);
                ctx.Properties.Set(CommandSent, true);
                var command = new CommandDefinition(text, parameters, commandTimeout: commandTimeout, commandType: type,
                    cancellationToken: ctx.CancellationToken);
                try
                {
                    return await execute(connection, command).ConfigureAwait(false);
                }
                catch (Exception ex) when (dialect.IsConnectionLost(ex, connection))
                {
                    dialect.ClearPool(connection);
                    throw;
                }
                catch (Exception) when (connection.State == System.Data.ConnectionState.Open)
                {
                    // A cancelled or timed-out call can leave its transaction open on a live session; end it
                    // before the connection goes back to the pool with the call's locks.
                    await dialect.EndTransactionAsync(connection).ConfigureAwait(false);
                    throw;
                }
            }, context).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
