using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;
using System.Text.Json;

namespace ReferralService.Data;

/// <summary>Which result columns a row type declares non-nullable: a record's non-nullable constructor parameters, or a scalar.</summary>
internal static class RowShape
{
    private static readonly ConcurrentDictionary<Type, string[]> RequiredColumns = new();

    /// <summary>The reader's ordinals of the columns <typeparamref name="TRow"/> needs non-null; a missing column is an error.</summary>
    public static int[] RequiredOrdinals<TRow>(DbDataReader reader, string procedure)
    {
        var names = RequiredColumns.GetOrAdd(typeof(TRow), Required);
        if (names.Length == 0)
        {
            return [];
        }
        if (names is [""])
        {
            return [0]; // a scalar row: its one column
        }
        var ordinals = new int[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            ordinals[i] = Enumerable.Range(0, reader.FieldCount).FirstOrDefault(o => reader.GetName(o) == names[i], -1);
            if (ordinals[i] < 0)
            {
                throw new InvalidOperationException($"{procedure} returned no column {names[i]}, which {typeof(TRow).Name} needs.");
            }
        }
        return ordinals;
    }

    private static string[] Required(Type row)
    {
        if (row.IsPrimitive || row == typeof(string) || row == typeof(decimal))
        {
            return [""];
        }
        if (Nullable.GetUnderlyingType(row) is not null)
        {
            return [];
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
