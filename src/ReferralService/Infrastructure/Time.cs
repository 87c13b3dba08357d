namespace ReferralService.Infrastructure;

internal static class Time
{
    /// <summary>Both engines store UTC; SQL Server hands it back without a kind, so say it is UTC.</summary>
    public static DateTime AsUtc(this DateTime value) => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc);
}
