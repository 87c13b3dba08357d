using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;
using System.Text.Json;
using Dapper;

namespace ReferralService.Data;

/// <summary>
/// A procedure's answer when it can refuse: the status word (an outcome or a refusal code) in the first column, and
/// the row it found or made in the rest, absent when the first of them is NULL (a refusal leaves them all NULL).
/// </summary>
internal sealed record Outcome<TRow>(string Status, TRow? Row) : IOutcome
    where TRow : class;

internal interface IOutcome
{
    string Status { get; }
}

/// <summary>
/// Reads result rows into their declared records with Dapper's row parser, refusing a NULL in any column that the
/// record declares non-nullable (Dapper would quietly make it 0 or null): a procedure that breaks its declared
/// shape fails loudly, naming itself and the column.
/// </summary>
internal static class RowReader
{
    private static readonly ConcurrentDictionary<Type, string[]> RequiredColumns = new();
    /// <summary>
    /// The row reader of a procedure, made from its first answer and kept: a procedure's result columns are fixed
    /// (the parity test holds them to its row type), so the parser and the required ordinals are worked out once.
    /// </summary>
    public static Func<DbDataReader, TRow> For<TRow>(DbDataReader reader, string procedure)
    {
        if (Factory<TRow>.ByProcedure.TryGetValue(procedure, out var known) && known.FieldCount == reader.FieldCount)
        {
            return known.Read;
        }
        var read = Factory<TRow>.Create(reader, procedure);
        Factory<TRow>.ByProcedure[procedure] = (reader.FieldCount, read);
        return read;
    }

    /// <summary>Per row type, once: how to make its reader (an Outcome's status and optional row, or a plain row).</summary>
    private static class Factory<TRow>
    {
        public static readonly ConcurrentDictionary<string, (int FieldCount, Func<DbDataReader, TRow> Read)> ByProcedure = new();

        public static readonly Func<DbDataReader, string, Func<DbDataReader, TRow>> Create =
            typeof(TRow).IsGenericType && typeof(TRow).GetGenericTypeDefinition() == typeof(Outcome<>)
                ? typeof(RowReader).GetMethod(nameof(ForOutcome), BindingFlags.NonPublic | BindingFlags.Static)!
                    .MakeGenericMethod(typeof(TRow).GetGenericArguments()[0])
                    .CreateDelegate<Func<DbDataReader, string, Func<DbDataReader, TRow>>>()
                : (reader, procedure) => Plain<TRow>(reader, procedure, startIndex: 0);
    }

    private static Func<DbDataReader, Outcome<TRow>> ForOutcome<TRow>(DbDataReader reader, string procedure)
        where TRow : class
    {
        var row = Plain<TRow>(reader, procedure, startIndex: 1);
        return r => r.IsDBNull(0)
            ? throw new InvalidOperationException($"{procedure} returned NULL in its status column.")
            : new Outcome<TRow>(r.GetString(0), r.IsDBNull(1) ? null : row(r));
    }

    private static Func<DbDataReader, TRow> Plain<TRow>(DbDataReader reader, string procedure, int startIndex)
    {
        var required = RequiredOrdinals<TRow>(reader, procedure, startIndex);
        var parse = reader.GetRowParser<TRow>(startIndex: startIndex);
        return r =>
        {
            foreach (var ordinal in required)
            {
                if (r.IsDBNull(ordinal))
                {
                    throw new InvalidOperationException(
                        $"{procedure} returned NULL in {r.GetName(ordinal)}, which {typeof(TRow).Name} declares non-nullable.");
                }
            }
            return parse(r);
        };
    }

    /// <summary>The reader's ordinals of the columns <typeparamref name="TRow"/> needs non-null; a missing column is an error.</summary>
    private static int[] RequiredOrdinals<TRow>(DbDataReader reader, string procedure, int startIndex)
    {
        var names = RequiredColumns.GetOrAdd(typeof(TRow), Required);
        if (names is [""])
        {
            return [startIndex]; // a scalar row: its one column
        }
        var ordinals = new int[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            ordinals[i] = Enumerable.Range(startIndex, reader.FieldCount - startIndex).FirstOrDefault(o => reader.GetName(o) == names[i], -1);
            if (ordinals[i] < 0)
            {
                throw new InvalidOperationException($"{procedure} returned no column {names[i]}, which {typeof(TRow).Name} needs.");
            }
        }
        return ordinals;
    }

    /// <summary>A record's non-nullable constructor parameters as snake_case column names; [""] for a scalar.</summary>
    private static string[] Required(Type row)
    {
        if (row.IsPrimitive || row == typeof(string) || row == typeof(decimal))
        {
            return [""];
        }
        var nullability = new NullabilityInfoContext();
        return
        [
            .. row.GetConstructors().Single().GetParameters()
                .Where(p => p.ParameterType.IsValueType
                    ? Nullable.GetUnderlyingType(p.ParameterType) is null
                    : nullability.Create(p).WriteState == NullabilityState.NotNull)
                .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name!)),
        ];
    }
}
