using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Dapper;
using ReferralService.Infrastructure;

namespace ReferralService.Data;

/// <summary>How a procedure is called: which connection pool it uses, and whether a call may be sent again.</summary>
internal enum ProcedureKind
{
    /// <summary>Changes data.</summary>
    Write,

    /// <summary>Reads only.</summary>
    Read,

    /// <summary>Reads a few rows by key: short enough to share a server connection with other lookups (PostgreSQL: multiplexed).</summary>
    Lookup,
}

/// <summary>Names the stored procedure a call record calls on both engines, and its kind.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class ProcedureAttribute(string name, ProcedureKind kind) : Attribute
{
    public string Name { get; } = name;

    public ProcedureKind Kind { get; } = kind;

    /// <summary>A write whose repeat has the effect of once by its nature (get-or-create, set-to-value, delete-older-than).</summary>
    public bool RepeatSafe { get; init; }
}

/// <summary>
/// A call of one stored procedure that answers with rows of <typeparamref name="TRow"/>. The record's constructor
/// parameters are the procedure's parameters, in order, named alike (CustomerId is customer_id); an
/// <see cref="Idempotency"/> stands for caller_id, idempotency_key and request_hash. A call therefore names every
/// argument, and the parity test compares each declaration with both engines' procedures.
/// </summary>
internal interface IProcedureCall<TRow>;

/// <summary>A stored procedure as a call record declares it: name, kind, parameters in order, and its row type.</summary>
internal sealed class Procedure
{
    private static readonly ConcurrentDictionary<Type, Procedure> ByCallType = new();

    private readonly (string Parameter, Func<object, object?> Value)[] arguments;
    private readonly PropertyInfo? idempotency;

    private Procedure(Type callType)
    {
        var declaration = callType.GetCustomAttribute<ProcedureAttribute>()
            ?? throw new InvalidOperationException($"{callType.Name} has no [Procedure] attribute.");
        Name = declaration.Name;
        Kind = declaration.Kind;
        RepeatSafe = declaration.RepeatSafe;
        RowType = callType.GetInterfaces()
            .Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IProcedureCall<>)).GetGenericArguments()[0];
        var properties = callType.GetConstructors().Single().GetParameters()
            .Select(p => callType.GetProperty(p.Name!) ?? throw new InvalidOperationException($"{callType.Name}.{p.Name} is not a property."))
            .ToList();
        idempotency = properties.SingleOrDefault(p => p.PropertyType == typeof(Idempotency));
        arguments = [.. properties.SelectMany(ArgumentsOf)];
        Parameters = [.. arguments.Select(a => a.Parameter)];
    }

    public string Name { get; }

    public ProcedureKind Kind { get; }

    public bool RepeatSafe { get; }

    public bool Lookup => Kind == ProcedureKind.Lookup;

    public IReadOnlyList<string> Parameters { get; }

    /// <summary>The type of the rows it answers with (a record, or a scalar such as bool).</summary>
    public Type RowType { get; }

    public static Procedure Of(Type callType) => ByCallType.GetOrAdd(callType, static type => new Procedure(type));

    /// <summary>Every procedure the service calls: each call record in this assembly.</summary>
    public static IReadOnlyList<Procedure> All { get; } =
    [
        .. typeof(Procedure).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<ProcedureAttribute>() is not null)
            .Select(Of)
            .OrderBy(p => p.Name, StringComparer.Ordinal),
    ];

    /// <summary>
    /// The one rule for sending a call again after its command reached the server (a call that never reached it is
    /// always safe to resend, and a call the server rolled back always is): only when the repeat cannot apply anything
    /// twice, that is, the procedure only reads, its writes are repeat-safe by nature, or the call carries an
    /// idempotency key (a repeat then replays the first outcome).
    /// </summary>
    public bool MayRepeat(object call) =>
        Kind is ProcedureKind.Read or ProcedureKind.Lookup || RepeatSafe || idempotency?.GetValue(call) is Idempotency { HasKey: true };

    /// <summary>The call's arguments; a <see cref="CodeList"/> goes as this engine passes a list (<see cref="IDbDialect.CodeList"/>).</summary>
    public DynamicParameters ParametersOf(object call, IDbDialect dialect)
    {
        var parameters = new DynamicParameters();
        foreach (var (parameter, value) in arguments)
        {
            var argument = value(call);
            parameters.Add(parameter, argument is CodeList list ? dialect.CodeList(list) : argument);
        }
        return parameters;
    }

    /// <summary>The call's arguments by parameter name, in order, for a command made without Dapper (Db.StreamAsync).</summary>
    public IEnumerable<(string Parameter, object? Value)> ArgumentsOf(object call) =>
        arguments.Select(a => (a.Parameter, a.Value(call)));

    private static IEnumerable<(string, Func<object, object?>)> ArgumentsOf(PropertyInfo property)
    {
        if (property.PropertyType == typeof(Idempotency))
        {
            yield return ("caller_id", call => (property.GetValue(call) as Idempotency)?.CallerId);
            yield return ("idempotency_key", call => (property.GetValue(call) as Idempotency)?.Key);
            yield return ("request_hash", call => (property.GetValue(call) as Idempotency)?.RequestHash);
            yield break;
        }
        yield return (JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name), property.GetValue);
    }
}

/// <summary>Codes passed to a procedure as one argument: a text array on PostgreSQL, a dbo.code_list table-valued parameter on SQL Server.</summary>
internal sealed record CodeList(IReadOnlyList<string> Codes);
