using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ReferralService.Auth;
using ReferralService.Infrastructure;

namespace ReferralService.Links;

internal static class StatsEndpoints
{
    /// <summary>The period when none is given: the last 30 days.</summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(30);

    /// <summary>The longest period one call may ask for.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(366);

    private const string PeriodSummary = " from, to: ISO 8601 instants with an offset (escape + as %2B); the period is [from, to), "
        + "at most 366 days; to defaults to now, from to 30 days before to.";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/codes/{code}/stats", GetCodeStats)
            .WithTags("Links").RequireAuthorization(Policies.CustomerData)
            .WithName(nameof(GetCodeStats)).Refuses(Refusals.ValidationFailed, Refusals.CodeNotFound)
            .WithSummary("A code's share-link stats over a period: clicks, unique visitors, clicks by platform, redemptions, qualified, "
                + "conversion from click to qualified, reward cost (see the response schema for each). A customer sees their own "
                + "codes only (another's is code_not_found)." + PeriodSummary);
        app.MapGet("/v1/programs/{programId:guid}/stats", GetProgramStats)
            .WithTags("Links").RequireAuthorization(Policies.Staff)
            .WithName(nameof(GetProgramStats)).Refuses(Refusals.ValidationFailed, Refusals.NotFound)
            .WithSummary("A program's share-link stats over a period, over all its codes: as a code's." + PeriodSummary);
    }

    private static async Task<Results<Ok<StatsResponse>, ValidationProblem, ProblemHttpResult>> GetCodeStats(
        string code, string? from, string? to, StatsStore store, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        // A code that breaks the code rule cannot exist.
        if (!Inputs.IsCode(code))
        {
            return Problems.For(Refusals.CodeNotFound);
        }
        var (start, end, problem) = Period(from, to, time.GetUtcNow());
        if (problem is not null)
        {
            return problem;
        }
        // A customer asks for their own code; staff for any.
        var ownerId = http.User.IsInRole(Roles.Admin) || http.User.IsInRole(Roles.Merchant) || http.User.IsInRole(Roles.Finance)
            ? null
            : http.User.FindFirst("sub")?.Value ?? "";
        var normalized = Inputs.NormalizeCode(code);
        return await store.CodeAsync(normalized, ownerId, start, end, ct) switch
        {
            { Status: Outcomes.Ok, Row: { } row } => TypedResults.Ok(row.ToResponse(normalized, start, end)),
            { Status: var status } => Problems.Refused(status),
        };
    }

    private static async Task<Results<Ok<StatsResponse>, ValidationProblem, ProblemHttpResult>> GetProgramStats(
        Guid programId, string? from, string? to, StatsStore store, TimeProvider time, CancellationToken ct)
    {
        var (start, end, problem) = Period(from, to, time.GetUtcNow());
        if (problem is not null)
        {
            return problem;
        }
        return await store.ProgramAsync(programId, start, end, ct) switch
        {
            { Status: Outcomes.Ok, Row: { } row } => TypedResults.Ok(row.ToResponse(null, start, end)),
            { Status: var status } => Problems.Refused(status),
        };
    }

    /// <summary>The period asked for (to defaults to now), or the problem with it.</summary>
    internal static (DateTimeOffset From, DateTimeOffset To, ValidationProblem? Problem) Period(string? from, string? to, DateTimeOffset now)
    {
        DateTimeOffset start = default, end = default;
        if (to is not null && !TryParseInstant(to, out end))
        {
            return (default, default, Problems.Invalid(nameof(to), InstantConverter.Rule));
        }
        if (from is not null && !TryParseInstant(from, out start))
        {
            return (default, default, Problems.Invalid(nameof(from), InstantConverter.Rule));
        }
        end = to is null ? now : end;
        start = from is null ? end - DefaultPeriod : start;
        if (end <= start)
        {
            return (default, default, Problems.Invalid(nameof(to), "After from."));
        }
        if (end - start > MaxPeriod)
        {
            return (default, default, Problems.Invalid(nameof(from), "At most 366 days before to."));
        }
        return (start, end, null);
    }

    /// <summary>
    /// An instant with an explicit offset, as the JSON bodies take them (<see cref="InstantConverter"/>). A query string
    /// decodes an unescaped + to a space: a space where the offset's sign belongs is read as +.
    /// </summary>
    private static bool TryParseInstant(string text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length > 6 && text[^6] == ' ' && text[^3] == ':')
        {
            text = string.Concat(text.AsSpan(0, text.Length - 6), "+", text.AsSpan(text.Length - 5));
        }
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        return hasOffset && text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }
}
