using ReferralService.Data;
using ReferralService.Infrastructure;

namespace ReferralService.Codes;

// Get-or-create: a repeat finds the code the first call made.
[Procedure("get_or_create_referral_code", ProcedureKind.Write, RepeatSafe = true)]
internal sealed record GetOrCreateReferralCodeCall(Guid ProgramId, string CustomerId, string CandidateCode) : IProcedureCall<Outcome<ReferralCodeRow>>;

[Procedure("check_code", ProcedureKind.Lookup)]
internal sealed record CheckCodeCall(
    string Code, string? CustomerId, long? OrderAmount, string? Currency, int? CustomerOrderCount, DateTimeOffset Now)
    : IProcedureCall<Outcome<CodeCheckRow>>;

[Procedure("create_code", ProcedureKind.Write)]
internal sealed record CreateCodeCall(
    Guid ProgramId, string Code, string? OwnerId, int? MaxRedemptions, DateTimeOffset? ExpiresAt, Idempotency Idempotency)
    : IProcedureCall<Outcome<CodeRow>>;

// Keyset pages, or (a NULL page size) every code of the filter for the CSV export, streamed.
[Procedure("list_codes", ProcedureKind.Read)]
internal sealed record ListCodesCall(Guid ProgramId, string? OwnerId, Guid? BatchId, string? Status, string? StartingAfter, int? PageSize)
    : IProcedureCall<Outcome<CodeRow>>;

// Sets the given fields to the given values; the recount it may make is found done by a repeat: a repeat changes nothing more.
[Procedure("update_code", ProcedureKind.Write, RepeatSafe = true)]
internal sealed record UpdateCodeCall(string Code, string? Status, int? MaxRedemptions, DateTimeOffset? ExpiresAt)
    : IProcedureCall<Outcome<CodeRow>>;

internal sealed class CodeStore(Db db)
{
    public Task<Outcome<ReferralCodeRow>> GetOrCreateAsync(Guid programId, string customerId, string candidate, CancellationToken ct) =>
        db.QuerySingleAsync(new GetOrCreateReferralCodeCall(ProgramId: programId, CustomerId: customerId, CandidateCode: candidate), ct);

    public Task<Outcome<CodeCheckRow>> CheckAsync(
        string code, string? customerId, long? orderAmount, string? currency, int? customerOrderCount, DateTimeOffset now,
        CancellationToken ct) =>
        db.QuerySingleAsync(new CheckCodeCall(
            Code: code, CustomerId: customerId, OrderAmount: orderAmount, Currency: currency, CustomerOrderCount: customerOrderCount,
            Now: now), ct);

    public Task<Outcome<CodeRow>> CreateAsync(Guid programId, CreateCodeRequest r, Idempotency idempotency, CancellationToken ct) =>
        db.QuerySingleAsync(new CreateCodeCall(
            ProgramId: programId, Code: Inputs.NormalizeCode(r.Code), OwnerId: r.OwnerId, MaxRedemptions: r.MaxRedemptions,
            ExpiresAt: r.ExpiresAt?.ToUniversalTime(), Idempotency: idempotency), ct);

    public Task<IReadOnlyList<Outcome<CodeRow>>> ListAsync(Guid programId, CodeFilter filter, string? startingAfter, int pageSize,
        CancellationToken ct) =>
        db.QueryAsync(new ListCodesCall(ProgramId: programId, OwnerId: filter.OwnerId, BatchId: filter.BatchId, Status: filter.Status,
            StartingAfter: startingAfter, PageSize: pageSize), ct);

    /// <summary>Every code of the filter, streamed from the database (a first 'not_found' row when there is no such program).</summary>
    public IAsyncEnumerable<Outcome<CodeRow>> StreamAsync(Guid programId, CodeFilter filter, CancellationToken ct) =>
        db.StreamAsync(new ListCodesCall(ProgramId: programId, OwnerId: filter.OwnerId, BatchId: filter.BatchId, Status: filter.Status,
            StartingAfter: null, PageSize: null), ct);

    public Task<Outcome<CodeRow>> UpdateAsync(string code, UpdateCodeRequest r, CancellationToken ct) =>
        db.QuerySingleAsync(new UpdateCodeCall(Code: code, Status: r.Status, MaxRedemptions: r.MaxRedemptions,
            ExpiresAt: r.ExpiresAt?.ToUniversalTime()), ct);
}

/// <summary>The listing's optional filters.</summary>
internal sealed record CodeFilter(string? OwnerId, Guid? BatchId, string? Status);
