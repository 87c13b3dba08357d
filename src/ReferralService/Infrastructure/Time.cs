namespace ReferralService.Infrastructure;

internal static class Time
{
    /// <summary>
    /// Both engines store UTC. SQL Server hands datetime2 back with an unspecified kind: that value is UTC
    /// already, so it is only labelled as such (ToUniversalTime would take it for local time and shift it).
    /// </summary>
    public static DateTime AsUtc(this DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
