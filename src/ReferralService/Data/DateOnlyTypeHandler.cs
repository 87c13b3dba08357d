using System.Data;
using Dapper;

namespace ReferralService.Data;

/// <summary>
/// Dapper (2.1) cannot pass a DateOnly as a parameter on its own; both drivers take one as a date (Npgsql, and SqlClient
/// since 5.1), so it only needs to be told the type.
/// </summary>
internal sealed class DateOnlyTypeHandler : SqlMapper.TypeHandler<DateOnly>
{
    public override void SetValue(IDbDataParameter parameter, DateOnly value)
    {
        parameter.DbType = DbType.Date;
        parameter.Value = value;
    }

    public override DateOnly Parse(object value) => value switch
    {
        DateOnly date => date,
        DateTime time => DateOnly.FromDateTime(time),
        _ => throw new InvalidCastException($"{value.GetType().Name} is not a date."),
    };
}
