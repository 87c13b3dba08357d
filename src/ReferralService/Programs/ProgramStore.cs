using ReferralService.Data;
using ReferralService.Infrastructure;

namespace ReferralService.Programs;

internal sealed class ProgramStore(Db db)
{
    public Guid NewId() => db.NewId();

    public Task<ProgramRow> CreateAsync(Guid id, CreateProgramRequest r, Idempotency idempotency, CancellationToken ct) =>
        db.QuerySingleAsync<ProgramRow>(Procedures.CreateProgram,
            [id, r.Name, r.Currency, r.ReferrerReward, r.RefereeReward, r.MinimumOrderAmount, r.MaxRewardsPerReferrer, .. idempotency.Arguments],
            idempotency.HasKey, ct);

    public Task<ProgramRow> GetAsync(Guid id, CancellationToken ct) =>
        db.QuerySingleAsync<ProgramRow>(Procedures.GetProgram, [id], idempotent: true, ct);

    public Task<ProgramRow> UpdateAsync(Guid id, UpdateProgramRequest r, CancellationToken ct) =>
        db.QuerySingleAsync<ProgramRow>(Procedures.UpdateProgram,
            [id, r.Status, r.MaxRewardsPerReferrer, r.MinimumOrderAmount], idempotent: true, ct);
}
