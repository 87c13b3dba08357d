using ReferralService.Data;

namespace ReferralService.Codes;

internal sealed class CodeStore(Db db)
{
    public Task<ReferralCodeRow> GetOrCreateAsync(Guid programId, string customerId, string candidate, CancellationToken ct) =>
        db.QuerySingleAsync<ReferralCodeRow>(Procedures.GetOrCreateReferralCode, [programId, customerId, candidate], idempotent: true, ct);

    public Task<CodeCheckRow> CheckAsync(string code, string? customerId, CancellationToken ct) =>
        db.QuerySingleAsync<CodeCheckRow>(Procedures.CheckCode, [code, customerId], idempotent: true, ct);
}
