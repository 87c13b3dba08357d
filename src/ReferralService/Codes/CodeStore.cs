using ReferralService.Data;
using ReferralService.Infrastructure;

namespace ReferralService.Codes;

// Get-or-create: a repeat finds the code the first call made.
[Procedure("get_or_create_referral_code", ProcedureKind.Write, RepeatSafe = true)]
internal sealed record GetOrCreateReferralCodeCall(Guid ProgramId, string CustomerId, string CandidateCode) : IProcedureCall<Outcome<ReferralCodeRow>>;

[Procedure("check_code", ProcedureKind.Lookup)]
internal sealed record CheckCodeCall(string Code, string? CustomerId, long? OrderAmount, string? Currency, int? CustomerOrderCount)
    : IProcedureCall<Outcome<CodeCheckRow>>;

[Procedure("create_code", ProcedureKind.Write)]
internal sealed record CreateCodeCall(
    Guid ProgramId, string Code, string? OwnerId, int? MaxRedemptions, DateTime? ExpiresAt, Idempotency Idempotency)
    : IProcedureCall<Outcome<CodeRow>>;

internal sealed class CodeStore(Db db)
{
    public Task<Outcome<ReferralCodeRow>> GetOrCreateAsync(Guid programId, string customerId, string candidate, CancellationToken ct) =>
        db.QuerySingleAsync(new GetOrCreateReferralCodeCall(ProgramId: programId, CustomerId: customerId, CandidateCode: candidate), ct);

    public Task<Outcome<CodeCheckRow>> CheckAsync(
        string code, string? customerId, long? orderAmount, string? currency, int? customerOrderCount, CancellationToken ct) =>
        db.QuerySingleAsync(new CheckCodeCall(
            Code: code, CustomerId: customerId, OrderAmount: orderAmount, Currency: currency, CustomerOrderCount: customerOrderCount), ct);

    public Task<Outcome<CodeRow>> CreateAsync(Guid programId, CreateCodeRequest r, Idempotency idempotency, CancellationToken ct) =>
        db.QuerySingleAsync(new CreateCodeCall(
            ProgramId: programId, Code: Inputs.NormalizeCode(r.Code), OwnerId: r.OwnerId, MaxRedemptions: r.MaxRedemptions,
            ExpiresAt: r.ExpiresAt?.UtcDateTime, Idempotency: idempotency), ct);
}
