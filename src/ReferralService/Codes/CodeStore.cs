using ReferralService.Data;

namespace ReferralService.Codes;

// Get-or-create: a repeat finds the code the first call made.
[Procedure("get_or_create_referral_code", ProcedureKind.Write, RepeatSafe = true)]
internal sealed record GetOrCreateReferralCodeCall(Guid ProgramId, string CustomerId, string CandidateCode) : IProcedureCall<Outcome<ReferralCodeRow>>;

[Procedure("check_code", ProcedureKind.Lookup)]
internal sealed record CheckCodeCall(string Code, string? CustomerId) : IProcedureCall<Outcome<CodeCheckRow>>;

internal sealed class CodeStore(Db db)
{
    public Task<Outcome<ReferralCodeRow>> GetOrCreateAsync(Guid programId, string customerId, string candidate, CancellationToken ct) =>
        db.QuerySingleAsync(new GetOrCreateReferralCodeCall(ProgramId: programId, CustomerId: customerId, CandidateCode: candidate), ct);

    public Task<Outcome<CodeCheckRow>> CheckAsync(string code, string? customerId, CancellationToken ct) =>
        db.QuerySingleAsync(new CheckCodeCall(Code: code, CustomerId: customerId), ct);
}
