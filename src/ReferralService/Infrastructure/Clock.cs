using Microsoft.Extensions.Options;

namespace ReferralService.Infrastructure;

/// <summary>
/// The service's clock. <c>Clock:Offset</c> shifts it (staging: see a program's future, a 14-day hold posting) and is
/// honoured only with <c>Clock:AllowOffset</c> true: start-up refuses an offset without it, so production cannot run
/// shifted by accident. Everything that decides by time reads the injected <see cref="TimeProvider"/> and passes the
/// time to the procedures; bearer tokens alone keep the machine's clock (their issuer's time is real time).
/// </summary>
internal sealed class ClockOptions
{
    public TimeSpan Offset { get; set; }

    public bool AllowOffset { get; set; }
}

internal sealed class ClockOptionsValidation : IValidateOptions<ClockOptions>
{
    public ValidateOptionsResult Validate(string? name, ClockOptions options) =>
        options.Offset != TimeSpan.Zero && !options.AllowOffset
            ? ValidateOptionsResult.Fail(
                $"Clock:Offset is {options.Offset}, but Clock:AllowOffset is not true: a shifted clock moves holds, deadlines and " +
                "expiry. Set Clock:AllowOffset=true to run shifted (staging only), or remove Clock:Offset.")
            : ValidateOptionsResult.Success;
}

/// <summary>The machine's clock moved by a fixed offset.</summary>
internal sealed class ShiftedTimeProvider(TimeProvider inner, TimeSpan offset) : TimeProvider
{
    public TimeSpan Offset => offset;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + offset;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();
}

internal static class ClockSetup
{
    /// <summary>Registers the service's <see cref="TimeProvider"/>: the machine's clock, shifted when so configured.</summary>
    public static IServiceCollection AddReferralClock(this IServiceCollection services)
    {
        services.AddOptions<ClockOptions>().BindConfiguration("Clock").ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClockOptions>, ClockOptionsValidation>();
        services.AddSingleton<TimeProvider>(provider =>
        {
            var clock = provider.GetRequiredService<IOptions<ClockOptions>>().Value;
            return clock.Offset == TimeSpan.Zero ? TimeProvider.System : new ShiftedTimeProvider(TimeProvider.System, clock.Offset);
        });
        return services;
    }
}
