using ReferralService.Data;
using ReferralService.Infrastructure;

namespace ReferralService.Programs;

[Procedure("create_program", ProcedureKind.Write)]
internal sealed record CreateProgramCall(
    Guid Id, string Name, string Currency, long ReferrerReward, long RefereeReward, long MinimumOrderAmount,
    int? MaxRewardsPerReferrer, Idempotency Idempotency) : IProcedureCall<Outcome<ProgramRow>>;

[Procedure("get_program", ProcedureKind.Lookup)]
internal sealed record GetProgramCall(Guid Id) : IProcedureCall<Outcome<ProgramRow>>;

// Sets the given fields to the given values: a repeat changes nothing more.
[Procedure("update_program", ProcedureKind.Write, RepeatSafe = true)]
internal sealed record UpdateProgramCall(Guid Id, string? Status, int? MaxRewardsPerReferrer, long? MinimumOrderAmount)
    : IProcedureCall<Outcome<ProgramRow>>;

internal sealed class ProgramStore(Db db)
{
    public Guid NewId() => db.NewId();

    public Task<Outcome<ProgramRow>> CreateAsync(Guid id, CreateProgramRequest r, Idempotency idempotency, CancellationToken ct) =>
        db.QuerySingleAsync(new CreateProgramCall(
            Id: id, Name: r.Name, Currency: r.Currency, ReferrerReward: r.ReferrerReward, RefereeReward: r.RefereeReward,
            MinimumOrderAmount: r.MinimumOrderAmount, MaxRewardsPerReferrer: r.MaxRewardsPerReferrer, Idempotency: idempotency), ct);

    public Task<Outcome<ProgramRow>> GetAsync(Guid id, CancellationToken ct) => db.QuerySingleAsync(new GetProgramCall(Id: id), ct);

    public Task<Outcome<ProgramRow>> UpdateAsync(Guid id, UpdateProgramRequest r, CancellationToken ct) =>
        db.QuerySingleAsync(new UpdateProgramCall(
            Id: id, Status: r.Status, MaxRewardsPerReferrer: r.MaxRewardsPerReferrer, MinimumOrderAmount: r.MinimumOrderAmount), ct);
}
