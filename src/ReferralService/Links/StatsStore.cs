using ReferralService.Data;

namespace ReferralService.Links;

[Procedure("code_stats", ProcedureKind.Read)]
internal sealed record CodeStatsCall(string Code, string? OwnerId, DateTimeOffset From, DateTimeOffset To) : IProcedureCall<Outcome<StatsRow>>;

[Procedure("program_stats", ProcedureKind.Read)]
internal sealed record ProgramStatsCall(Guid ProgramId, DateTimeOffset From, DateTimeOffset To) : IProcedureCall<Outcome<StatsRow>>;

internal sealed class StatsStore(Db db)
{
    /// <summary>ownerId: only when the code is theirs (a customer's own code); null for staff.</summary>
    public Task<Outcome<StatsRow>> CodeAsync(string code, string? ownerId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        db.QuerySingleAsync(new CodeStatsCall(code, ownerId, from.ToUniversalTime(), to.ToUniversalTime()), ct);

    public Task<Outcome<StatsRow>> ProgramAsync(Guid programId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        db.QuerySingleAsync(new ProgramStatsCall(programId, from.ToUniversalTime(), to.ToUniversalTime()), ct);
}
