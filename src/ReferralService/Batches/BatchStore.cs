using ReferralService.Data;
using ReferralService.Infrastructure;

namespace ReferralService.Batches;

[Procedure("create_code_batch", ProcedureKind.Write)]
internal sealed record CreateCodeBatchCall(
    Guid Id, Guid ProgramId, string Pattern, int CodeCount, int? MaxRedemptions, DateTimeOffset? ExpiresAt, Idempotency Idempotency)
    : IProcedureCall<Outcome<CodeBatchRow>>;

[Procedure("get_code_batch", ProcedureKind.Lookup)]
internal sealed record GetCodeBatchCall(Guid Id) : IProcedureCall<Outcome<CodeBatchRow>>;

// A repeat after a lost answer claims again for the same worker: at worst the first batch waits for its lease to run out.
[Procedure("claim_code_batch", ProcedureKind.Write, RepeatSafe = true)]
internal sealed record ClaimCodeBatchCall(Guid? Id, Guid Worker, int LeaseSeconds) : IProcedureCall<Outcome<CodeBatchRow>>;

// A repeat of a committed chunk inserts nothing more: its codes exist (ON CONFLICT / NOT EXISTS), so generated stays.
[Procedure("add_batch_codes", ProcedureKind.Write, RepeatSafe = true)]
internal sealed record AddBatchCodesCall(Guid Id, Guid Worker, int LeaseSeconds, CodeList Codes) : IProcedureCall<Outcome<CodeBatchRow>>;

// Sets the claim to none (and the status to failed, with a reason): a repeat changes nothing more.
[Procedure("release_code_batch", ProcedureKind.Write, RepeatSafe = true)]
internal sealed record ReleaseCodeBatchCall(Guid Id, Guid Worker, string? FailureReason) : IProcedureCall<Outcome<CodeBatchRow>>;

[Procedure("list_batch_codes", ProcedureKind.Read)]
internal sealed record ListBatchCodesCall(Guid BatchId, string? StartingAfter, int? PageSize) : IProcedureCall<BatchCodeRow>;

internal sealed class BatchStore(Db db)
{
    public Guid NewId() => db.NewId();

    public Task<Outcome<CodeBatchRow>> CreateAsync(
        Guid id, Guid programId, BatchPattern pattern, CreateCodeBatchRequest r, Idempotency idempotency, CancellationToken ct) =>
        db.QuerySingleAsync(new CreateCodeBatchCall(
            Id: id, ProgramId: programId, Pattern: pattern.Text, CodeCount: r.Count, MaxRedemptions: r.MaxRedemptions,
            ExpiresAt: r.ExpiresAt?.ToUniversalTime(), Idempotency: idempotency), ct);

    public Task<Outcome<CodeBatchRow>> GetAsync(Guid id, CancellationToken ct) => db.QuerySingleAsync(new GetCodeBatchCall(Id: id), ct);

    public Task<Outcome<CodeBatchRow>> ClaimAsync(Guid? id, Guid worker, int leaseSeconds, CancellationToken ct) =>
        db.QuerySingleAsync(new ClaimCodeBatchCall(Id: id, Worker: worker, LeaseSeconds: leaseSeconds), ct);

    public Task<Outcome<CodeBatchRow>> AddCodesAsync(Guid id, Guid worker, int leaseSeconds, string[] codes, CancellationToken ct) =>
        db.QuerySingleAsync(new AddBatchCodesCall(Id: id, Worker: worker, LeaseSeconds: leaseSeconds, Codes: new CodeList(codes)), ct);

    public Task<Outcome<CodeBatchRow>> ReleaseAsync(Guid id, Guid worker, string? failureReason, CancellationToken ct) =>
        db.QuerySingleAsync(new ReleaseCodeBatchCall(Id: id, Worker: worker, FailureReason: failureReason), ct);

    public Task<IReadOnlyList<BatchCodeRow>> ListCodesAsync(Guid batchId, string? startingAfter, int pageSize, CancellationToken ct) =>
        db.QueryAsync(new ListBatchCodesCall(BatchId: batchId, StartingAfter: startingAfter, PageSize: pageSize), ct);

    /// <summary>Every code of the batch in code order, streamed (constant memory whatever the batch's size).</summary>
    public IAsyncEnumerable<BatchCodeRow> StreamCodesAsync(Guid batchId, CancellationToken ct) =>
        db.StreamAsync(new ListBatchCodesCall(BatchId: batchId, StartingAfter: null, PageSize: null), ct);
}
