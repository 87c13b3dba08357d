using Dapper;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using ReferralService.Infrastructure;

namespace ReferralService.Data;

/// <summary>
/// Runs one procedure call as one transaction, inside a retry pipeline. A retry is only made when
/// it cannot apply anything twice: the call never reached the server, the server rolled it back,
/// or the call is a read or carries an idempotency key (a repeat then replays the first outcome).
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

    public async Task<T> QuerySingleAsync<T>(Procedure procedure, object?[] arguments, bool idempotent, CancellationToken ct)
    {
        var row = await RunAsync(procedure, arguments, idempotent, (connection, command) => connection.QuerySingleAsync<T>(command), ct)
            .ConfigureAwait(false);
        // A status word the refusal catalogue lacks is a server error that names the procedure, never a client answer.
        if (row is IOutcomeRow { Status: var status } && !Outcomes.IsKnown(status))
        {
            throw new UnknownStatusException(procedure.Name, status);
        }
        return row;
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(Procedure procedure, object?[] arguments, CancellationToken ct) =>
        (await RunAsync(procedure, arguments, idempotent: true, (connection, command) => connection.QueryAsync<T>(command), ct)
            .ConfigureAwait(false)).AsList();

    private bool ShouldRetry(ResilienceContext context, Exception exception)
    {
        if (!dialect.IsTransient(exception))
        {
            return false;
        }
        var sent = context.Properties.GetValue(CommandSent, false);
        return !sent || dialect.IsCertainRollback(exception) || context.Properties.GetValue(SafeToRepeat, false);
    }

    private async Task<T> RunAsync<T>(Procedure procedure, object?[] arguments, bool idempotent,
        Func<System.Data.Common.DbConnection, CommandDefinition, Task<T>> execute, CancellationToken ct)
    {
        if (arguments.Length != procedure.Parameters.Count)
        {
            throw new ArgumentException($"{procedure.Name} takes {procedure.Parameters.Count} arguments, got {arguments.Length}.", nameof(arguments));
        }
        var parameters = new DynamicParameters();
        for (var i = 0; i < arguments.Length; i++)
        {
            parameters.Add(procedure.Parameters[i], arguments[i]);
        }
        var (text, type) = dialect.Call(procedure);

        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(SafeToRepeat, procedure.ReadOnly || idempotent);
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
            }, context).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
