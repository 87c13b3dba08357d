using Microsoft.AspNetCore.Http.HttpResults;
using ReferralService.Auth;
using ReferralService.Customers;
using ReferralService.Data;
using ReferralService.Infrastructure;
using ReferralService.Links;

namespace ReferralService.Codes;

internal static class CodeEndpoints
{
    public static IServiceCollection AddCodes(this IServiceCollection services)
    {
        services.AddSingleton<CodeStore>();
        services.AddSingleton<DenyList>();
        services.AddOptions<CodeOptions>().BindConfiguration("Codes").ValidateDataAnnotations()
            .Validate(o => File.Exists(DenyList.PathOf(o.DenyListPath)), "Codes:DenyListPath names no file.").ValidateOnStart();
        return services;
    }

    public static void MapCodes(this IEndpointRouteBuilder app)
    {
        app.MapPut("/v1/programs/{programId:guid}/customers/{customerId}/referral-code", GetOrCreateReferralCode)
            .WithTags("Codes").RequireAuthorization(Policies.CustomerCode).ActsForCustomer()
            .WithName(nameof(GetOrCreateReferralCode)).Refuses(Refusals.ValidationFailed, Refusals.NotFound, Refusals.CodeInactive, Refusals.WrongProgramKind)
            .WithSummary("Get or create a customer's personal referral code: 201 the first time, 200 after, always the same code.");

        app.MapPost("/v1/programs/{programId:guid}/codes", CreateCode)
            .WithTags("Codes").RequireAuthorization(Policies.Admin).AcceptsIdempotencyKey()
            .WithName(nameof(CreateCode))
            .Refuses(Refusals.ValidationFailed, Refusals.NotFound, Refusals.CodeNotAllowed, Refusals.CodeTaken, Refusals.OwnerRequired,
                Refusals.WrongProgramKind, Refusals.IdempotencyKeyReused)
            .WithSummary("Create a vanity code (EMILY10): 3-32 letters, digits or hyphens, stored upper case, unique across the service. "
                + "Partner and referral codes need ownerId, promo codes take none; words on the deny-list are refused.");

        app.MapGet("/v1/codes/{code}", ValidateCode)
            .WithTags("Codes").RequireAuthorization(Policies.Merchant).RequireRateLimiting(RateLimits.CodeValidation)
            .LimitFailedCodeLookups()
            .WithName(nameof(ValidateCode)).Refuses(Refusals.ValidationFailed, Refusals.CodeNotFound, Refusals.RateLimited)
            .WithSummary("Dry run of a redemption: would this code work for this customer and order, and what would it give? "
                + "valid=false comes with the reason redeem would refuse. Nothing is recorded. discount: a percentage offer is "
                + "floor(orderAmount x percentOff / 10000), capped by maxDiscount, then by orderAmount; a fixed one is "
                + "min(amountOff, orderAmount); null without orderAmount. credit: the redeemer's credit. budget_exhausted: "
                + "the program's remaining budget is below what this redemption would commit (rewards or commission, credit "
                + "and discount); where that needs orderAmount and there is none, the budget is not checked.");

        app.MapGet("/v1/programs/{programId:guid}/codes", ListCodes)
            .WithTags("Codes").RequireAuthorization(Policies.Staff)
            .WithName(nameof(ListCodes)).Refuses(Refusals.ValidationFailed, Refusals.NotFound)
            .ProducesCsv("code, programId, ownerId, source, status, maxRedemptions, expiresAt, batchId, createdAt")
            .WithSummary("A program's codes in code order, optionally only one owner's, batch's or status's. JSON: pages of "
                + "limit (1-1000, default 100); pass nextStartingAfter as startingAfter for the next. Accept: text/csv (or "
                + "format=csv): the whole filtered list as one streamed CSV file, the JSON fields as columns.");

        app.MapPatch("/v1/codes/{code}", UpdateCode)
            .WithTags("Codes").RequireAuthorization(Policies.Admin)
            .WithName(nameof(UpdateCode)).Refuses(Refusals.ValidationFailed, Refusals.CodeNotFound)
            .WithSummary("Change a code: status (active, disabled), maxRedemptions (its own limit in place of the program's "
                + "per-code limit; uses made before count), expiresAt. Fields left out stay as they are; a limit can be changed, not removed.");
    }

    private static async Task<Results<Created<ReferralCodeResponse>, Ok<ReferralCodeResponse>, ProblemHttpResult>>
        GetOrCreateReferralCode(Guid programId, string customerId, CodeStore store, InviteLinks links, CancellationToken ct)
    {
        var outcome = await GetOrCreateReferralCodeAsync(store, programId, customerId, ct);
        if (outcome is not { Status: Outcomes.Ok, Row: { } code })
        {
            return Problems.Refused(outcome.Status);
        }
        var response = new ReferralCodeResponse(code.Code, code.ProgramId, code.OwnerId, links.ShareUrl(code.Code));
        return code.Created
            ? TypedResults.Created($"/v1/programs/{programId}/customers/{customerId}/referral-code", response)
            : TypedResults.Ok(response);
    }

    /// <summary>The customer's personal code of a referral program, made with a freshly drawn code if they have none.</summary>
    public static async Task<Outcome<ReferralCodeRow>> GetOrCreateReferralCodeAsync(
        CodeStore store, Guid programId, string customerId, CancellationToken ct)
    {
        // A drawn code may already belong to someone else (about once in 10^8): draw again. Five collisions in a
        // row mean the code space is nearly full, a server problem, never a client's refusal.
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await store.GetOrCreateAsync(programId, customerId, CodeGenerator.Next(), ct);
            if (outcome.Status != Outcomes.CodeCollision)
            {
                return outcome;
            }
            if (attempt == 5)
            {
                throw new InvalidOperationException($"Five drawn codes in a row were taken (program {programId}).");
            }
        }
    }

    private static async Task<Results<Created<CodeResponse>, ProblemHttpResult>> CreateCode(
        Guid programId, CreateCodeRequest request, CodeStore store, DenyList denyList, HttpContext http, CancellationToken ct)
    {
        if (!denyList.Allows(request.Code))
        {
            return Problems.For(Refusals.CodeNotAllowed);
        }
        var idempotency = Idempotency.For(http, nameof(CreateCode), programId.ToString(), request);
        return await store.CreateAsync(programId, request, idempotency, ct) switch
        {
            // The code resource is described by GET /v1/codes/{code}.
            { Status: Outcomes.Ok, Row: { } row } => TypedResults.Created($"/v1/codes/{Uri.EscapeDataString(row.Code)}", row.ToResponse()),
            { Status: var status } => Problems.Refused(status),
        };
    }

    private static async Task<Results<Ok<CodeCheckResponse>, ValidationProblem, ProblemHttpResult>> ValidateCode(
        string code, string? customerId, long? orderAmount, string? currency, int? customerOrderCount, CodeStore store,
        TimeProvider time, CancellationToken ct)
    {
        // A code that breaks the code rule cannot exist.
        if (!Inputs.IsCode(code))
        {
            return Problems.For(Refusals.CodeNotFound);
        }
        if (customerId is not null && !Inputs.IsCustomerId(customerId))
        {
            return Problems.Invalid(nameof(customerId), Inputs.CustomerIdRule);
        }
        if (orderAmount is < 0 or > Inputs.MaxAmount)
        {
            return Problems.Invalid(nameof(orderAmount), Inputs.NonNegativeAmountRule);
        }
        if (currency is not null && !Inputs.IsCurrency(currency))
        {
            return Problems.Invalid(nameof(currency), Inputs.CurrencyRule);
        }
        if (customerOrderCount is < 0)
        {
            return Problems.Invalid(nameof(customerOrderCount), "Zero or a positive whole number.");
        }
        return await store.CheckAsync(Inputs.NormalizeCode(code), customerId, orderAmount, currency, customerOrderCount, time.GetUtcNow(), ct) switch
        {
            { Status: Outcomes.Ok, Row: { } check } => TypedResults.Ok(check.ToResponse()),
            { Status: var status } => Problems.Refused(status),
        };
    }

    private static async Task<Results<Ok<CodePage>, EmptyHttpResult, ValidationProblem, ProblemHttpResult>> ListCodes(
        Guid programId, int? limit, string? startingAfter, string? ownerId, Guid? batchId, string? status, string? format,
        CodeStore store, HttpContext http, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
        {
            return Problems.Invalid(nameof(limit), "Between 1 and 1000.");
        }
        if (startingAfter is not null && !Inputs.IsCode(startingAfter))
        {
            return Problems.Invalid(nameof(startingAfter), "The last code of a previous page.");
        }
        if (ownerId is not null && !Inputs.IsCustomerId(ownerId))
        {
            return Problems.Invalid(nameof(ownerId), Inputs.CustomerIdRule);
        }
        if (status is not null and not ("active" or "disabled"))
        {
            return Problems.Invalid(nameof(status), "active or disabled.");
        }
        if (!CsvExport.IsFormat(format))
        {
            return Problems.Invalid(nameof(format), "json or csv.");
        }
        var filter = new CodeFilter(ownerId, batchId, status);
        if (CsvExport.IsWanted(http.Request, format))
        {
            if (limit is not null || startingAfter is not null)
            {
                return Problems.Invalid(limit is null ? nameof(startingAfter) : nameof(limit), "The CSV export is the whole list, not a page.");
            }
            return await ExportCodesAsync(programId, filter, store, http, ct);
        }

        var pageSize = limit ?? 100;
        // One row more than the page tells whether there is another page.
        var rows = await store.ListAsync(programId, filter, startingAfter is null ? null : Inputs.NormalizeCode(startingAfter), pageSize + 1, ct);
        if (rows is [{ Status: var refusal }] && refusal != Outcomes.Ok)
        {
            return Problems.Refused(Checked(refusal));
        }
        var page = rows.Take(pageSize).Select(Code).ToList();
        var hasMore = rows.Count > pageSize;
        return TypedResults.Ok(new CodePage(page, hasMore, hasMore ? page[^1].Code : null));
    }

    // The export reads its first row before answering, so that an unknown program is still a 404, not an empty file.
    private static async Task<Results<Ok<CodePage>, EmptyHttpResult, ValidationProblem, ProblemHttpResult>> ExportCodesAsync(
        Guid programId, CodeFilter filter, CodeStore store, HttpContext http, CancellationToken ct)
    {
        var rows = store.StreamAsync(programId, filter, ct).GetAsyncEnumerator(ct);
        await using (rows)
        {
            var any = await rows.MoveNextAsync();
            if (any && rows.Current.Status != Outcomes.Ok)
            {
                var status = rows.Current.Status;
                // Read to the end (there is nothing more), so that the stream ends as finished rather than abandoned.
                while (await rows.MoveNextAsync())
                {
                }
                return Problems.Refused(Checked(status));
            }
            await CsvExport.WriteAsync(http.Response, $"codes-{programId}.csv", Rest(any, rows), ct);
            return TypedResults.Empty;
        }

        static async IAsyncEnumerable<CodeResponse> Rest(bool any, IAsyncEnumerator<Outcome<CodeRow>> rows)
        {
            for (var more = any; more; more = await rows.MoveNextAsync())
            {
                yield return Code(rows.Current);
            }
        }
    }

    private static async Task<Results<Ok<CodeResponse>, ProblemHttpResult>> UpdateCode(
        string code, UpdateCodeRequest request, CodeStore store, CancellationToken ct)
    {
        // A code that breaks the code rule cannot exist.
        if (!Inputs.IsCode(code))
        {
            return Problems.For(Refusals.CodeNotFound);
        }
        return await store.UpdateAsync(Inputs.NormalizeCode(code), request, ct) switch
        {
            { Status: Outcomes.Ok, Row: { } row } => TypedResults.Ok(row.ToResponse()),
            { Status: var status } => Problems.Refused(status),
        };
    }

    private static CodeResponse Code(Outcome<CodeRow> row) =>
        row is { Status: Outcomes.Ok, Row: { } code }
            ? code.ToResponse()
            : throw new InvalidOperationException($"list_codes answered '{row.Status}' among its codes.");

    // A listing's rows are read with Db.QueryAsync / StreamAsync, which leave the status word to the caller.
    private static string Checked(string status) =>
        Outcomes.IsKnown(status) ? status : throw new UnknownStatusException("list_codes", status);
}
