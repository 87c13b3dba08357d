using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ReferralService.Auth;
using ReferralService.Infrastructure;

namespace ReferralService.Batches;

internal static class BatchEndpoints
{

    public static IServiceCollection AddCodeBatches(this IServiceCollection services)
    {
        services.AddSingleton<BatchStore>();
        services.AddSingleton<BatchQueue>();
        services.AddOptions<BatchOptions>().BindConfiguration("Batches").ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<BatchGenerator>();
        return services;
    }

    public static void MapCodeBatches(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/programs/{programId:guid}/code-batches", CreateCodeBatch).WithTags("Code batches")
            .RequireAuthorization(Policies.Admin).AcceptsIdempotencyKey()
            .WithName(nameof(CreateCodeBatch))
            .Refuses(Refusals.ValidationFailed, Refusals.NotFound, Refusals.PatternTooSmall, Refusals.WrongProgramKind, Refusals.IdempotencyKeyReused)
            .WithSummary("Generate count codes (1 to 1,000,000) for a promo program from a pattern ('#' = one random symbol of the " +
                "31-symbol alphabet, the rest literal) or a prefix and a length (that many random symbols after the prefix). " +
                "Answers 202 at once; the codes are generated in the background. A pattern with fewer than 1,000 × count possible " +
                "codes is refused (pattern_too_small); bits states the pattern's randomness, log2(31^k).");

        var group = app.MapGroup("/v1/code-batches").WithTags("Code batches").RequireAuthorization(Policies.Staff);
        group.MapGet("/{batchId:guid}", GetCodeBatch)
            .WithName(nameof(GetCodeBatch)).Refuses(Refusals.NotFound)
            .WithSummary("A batch: status (pending, running, completed, failed) and generated of count.");
        group.MapGet("/{batchId:guid}/codes", ListBatchCodes)
            .WithName(nameof(ListBatchCodes)).Refuses(Refusals.ValidationFailed, Refusals.NotFound)
            .ProducesCsv("code, status, maxRedemptions, expiresAt, createdAt")
            .WithSummary("The batch's codes in code order: a page of JSON (pass nextStartingAfter as startingAfter for the next), " +
                "or with Accept: text/csv or format=csv all of them, streamed as CSV.");
    }

    private static async Task<Results<Accepted<CodeBatchResponse>, ValidationProblem, ProblemHttpResult>> CreateCodeBatch(
        Guid programId, CreateCodeBatchRequest request, BatchStore store, BatchQueue queue, HttpContext http, CancellationToken ct)
    {
        BatchPattern pattern;
        if (request.Pattern is not null)
        {
            if (request.Prefix is not null || request.Length is not null)
            {
                return Problems.Invalid(nameof(request.Pattern), "Either pattern, or length with an optional prefix: not both.");
            }
            pattern = BatchPattern.Of(request.Pattern);
        }
        else if (request.Length is { } length)
        {
            if ((request.Prefix?.Length ?? 0) + length is < BatchPattern.MinLength or > BatchPattern.MaxLength)
            {
                return Problems.Invalid(nameof(request.Length), "The prefix and the random symbols together make 3-32 characters.");
            }
            pattern = BatchPattern.Of(request.Prefix, length);
        }
        else
        {
            return Problems.Invalid(nameof(request.Pattern), "A pattern, or a length (with an optional prefix).");
        }
        if (!pattern.Fits(request.Count))
        {
            return TypedResults.Problem(Problems.Create(Refusals.PatternTooSmall,
                $"{pattern.Text} has {pattern.Space} possible codes ({pattern.Bits.ToString("0.0", CultureInfo.InvariantCulture)} bits); " +
                $"{request.Count} codes need at least {BatchPattern.SpacePerCode * (long)request.Count}."));
        }

        var idempotency = Idempotency.For(http, nameof(CreateCodeBatch), programId.ToString(), request);
        var outcome = await store.CreateAsync(store.NewId(), programId, pattern, request, idempotency, ct);
        if (outcome is not { Status: Outcomes.Ok, Row: { } batch })
        {
            return Problems.Refused(outcome.Status);
        }
        queue.Enqueue(batch.Id);
        return TypedResults.Accepted($"/v1/code-batches/{batch.Id}", batch.ToResponse());
    }

    private static async Task<Results<Ok<CodeBatchResponse>, ProblemHttpResult>> GetCodeBatch(Guid batchId, BatchStore store, CancellationToken ct)
    {
        return await store.GetAsync(batchId, ct) switch
        {
            { Status: Outcomes.Ok, Row: { } batch } => TypedResults.Ok(batch.ToResponse()),
            { Status: var code } => Problems.Refused(code),
        };
    }

    private static async Task<Results<Ok<BatchCodePage>, EmptyHttpResult, ValidationProblem, ProblemHttpResult>> ListBatchCodes(
        Guid batchId, int? limit, string? startingAfter, string? format, BatchStore store, HttpContext http, CancellationToken ct)
    {
        if (!CsvExport.IsFormat(format))
        {
            return Problems.Invalid(nameof(format), "json or csv.");
        }
        if (limit is < 1 or > 1000)
        {
            return Problems.Invalid(nameof(limit), "Between 1 and 1000.");
        }
        if (startingAfter is not null && !Inputs.IsCode(startingAfter))
        {
            return Problems.Invalid(nameof(startingAfter), "The last code of a previous page.");
        }
        var csv = CsvExport.IsWanted(http.Request, format);
        if (csv && (limit is not null || startingAfter is not null))
        {
            return Problems.Invalid(limit is null ? nameof(startingAfter) : nameof(limit), "The CSV export is the whole batch, not a page.");
        }
        if (await store.GetAsync(batchId, ct) is not { Status: Outcomes.Ok })
        {
            return Problems.NotFound();
        }

        if (csv)
        {
            await CsvExport.WriteAsync(http.Response, $"code-batch-{batchId}.csv", Rows(store.StreamCodesAsync(batchId, ct)), ct);
            return TypedResults.Empty;
        }

        var pageSize = limit ?? 100;
        // One row more than the page tells whether there is another page.
        var rows = await store.ListCodesAsync(batchId, startingAfter is null ? null : Inputs.NormalizeCode(startingAfter), pageSize + 1, ct);
        var page = rows.Take(pageSize).Select(r => r.ToResponse()).ToList();
        var hasMore = rows.Count > pageSize;
        return TypedResults.Ok(new BatchCodePage(page, hasMore, hasMore ? page[^1].Code : null));

        static async IAsyncEnumerable<BatchCodeResponse> Rows(IAsyncEnumerable<BatchCodeRow> rows)
        {
            await foreach (var row in rows)
            {
                yield return row.ToResponse();
            }
        }
    }
}
