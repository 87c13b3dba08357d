namespace ReferralService.Infrastructure;

/// <summary>One refusal the API can answer with: its stable machine <c>code</c>, HTTP status and title.</summary>
internal sealed record Refusal(string Code, int Status, string Title);

/// <summary>
/// The catalogue of every <c>code</c> the API can return, each declared once. Handlers never choose a status:
/// a procedure's status word is looked up here (<see cref="Problems.For"/>), endpoints declare which refusals
/// they can answer (<see cref="RefusalEndpoints.Refuses"/>), and the OpenAPI document lists them from the same
/// entries. A status word a procedure returns that is neither a refusal here nor an <see cref="Outcomes"/> word
/// is a server error (Data/Db.cs), never a client answer.
/// </summary>
internal static class Refusals
{
    // Refusals of the business rules, returned by the procedures.
    public static readonly Refusal NotFound = new("not_found", 404, "The resource does not exist.");
    public static readonly Refusal CodeNotFound = new("code_not_found", 404, "No such code.");
    public static readonly Refusal DuplicateOrder = new("duplicate_order", 409, "This order already has a different spend.");
    public static readonly Refusal CodeInactive = new("code_inactive", 422, "The code's program is not active.");
    public static readonly Refusal SelfReferral = new("self_referral", 422, "A customer cannot redeem their own code.");
    public static readonly Refusal AlreadyReferred = new("already_referred", 422, "This customer has already been referred in this program.");
    public static readonly Refusal ReferrerCapReached = new("referrer_cap_reached", 422, "The referrer has reached the program's reward limit.");
    public static readonly Refusal InvalidState = new("invalid_state", 422, "The resource is not in a state that allows this.");
    public static readonly Refusal OrderBelowMinimum = new("order_below_minimum", 422, "The order is below the program's minimum order amount.");
    public static readonly Refusal InsufficientCredit = new("insufficient_credit", 422, "The customer's available credit is too low.");
    public static readonly Refusal CurrencyMismatch = new("currency_mismatch", 422, "The currency is not the one of the credit or program.");
    public static readonly Refusal CodeDisabled = new("code_disabled", 422, "The code has been disabled.");
    public static readonly Refusal CodeExpired = new("code_expired", 422, "The code has expired.");
    public static readonly Refusal ProgramNotStarted = new("program_not_started", 422, "The code's program has not started yet.");
    public static readonly Refusal ProgramEnded = new("program_ended", 422, "The code's program has ended.");
    public static readonly Refusal CodeExhausted = new("code_exhausted", 422, "The code has reached its redemption limit.");
    public static readonly Refusal CustomerLimitReached = new("customer_limit_reached", 422, "The customer has used this program's codes as often as it allows.");
    public static readonly Refusal NotNewCustomer = new("not_new_customer", 422, "The program is for new customers only.");
    public static readonly Refusal AlreadyRedeemed = new("already_redeemed", 409, "This order has already used this code.");
    public static readonly Refusal CodeNotAllowed = new("code_not_allowed", 422, "The code contains a word that is not allowed.");
    public static readonly Refusal CodeTaken = new("code_taken", 409, "The code is already taken.");
    public static readonly Refusal PatternTooSmall = new("pattern_too_small", 422, "The pattern has too few possible codes for this many codes.");
    public static readonly Refusal OwnerRequired = new("owner_required", 422, "Codes of this program's kind need an owner (ownerId).");
    public static readonly Refusal OrderRequired = new("order_required", 422, "Codes of this program need the order: orderId and orderAmount.");
    public static readonly Refusal WrongProgramKind = new("wrong_program_kind", 422, "The program's kind does not allow this.");
    public static readonly Refusal ProgramHasRedemptions = new("program_has_redemptions", 409, "A program's kind and offer cannot change once it has redemptions.");
    public static readonly Refusal ClickNotFound = new("click_not_found", 422, "The clickId names no click on a share link of this code.");
    public static readonly Refusal IdempotencyKeyReused = new("idempotency_key_reused", 422, "This Idempotency-Key was used with a different request.");
    public static readonly Refusal QualificationWindowClosed = new("qualification_window_closed", 422, "The redemption was not qualified within the program's qualifyWithinDays.");
    public static readonly Refusal BudgetExhausted = new("budget_exhausted", 422, "The program's budget cannot cover this redemption.");
    public static readonly Refusal BudgetBelowCommitted = new("budget_below_committed", 409, "The budget is below what the program has already committed.");

    // Refusals of the platform: request shape, authentication, routing, limits, faults.
    public static readonly Refusal ValidationFailed = new("validation_failed", 400, "The request is not valid.");
    public static readonly Refusal Unauthorized = new("unauthorized", 401, "A valid bearer token is required.");
    public static readonly Refusal Forbidden = new("forbidden", 403, "The token's role may not do this.");
    public static readonly Refusal MethodNotAllowed = new("method_not_allowed", 405, "The resource does not allow this method.");
    public static readonly Refusal NotAcceptable = new("not_acceptable", 406, "The resource cannot answer in an accepted media type.");
    public static readonly Refusal Conflict = new("conflict", 409, "The request conflicts with the resource's state.");
    public static readonly Refusal PayloadTooLarge = new("payload_too_large", 413, "The request body is too large.");
    public static readonly Refusal UnsupportedMediaType = new("unsupported_media_type", 415, "The request body must be application/json.");
    public static readonly Refusal Unprocessable = new("unprocessable", 422, "The request cannot be processed.");
    public static readonly Refusal RateLimited = new("rate_limited", 429, "Too many requests; retry after the time in Retry-After.");
    public static readonly Refusal InternalError = new("internal_error", 500, "An unexpected error occurred.");
    public static readonly Refusal ServiceUnavailable = new("service_unavailable", 503, "The service is unavailable; retry later.");
    public static readonly Refusal DatabaseUnavailable = new("database_unavailable", 503, "The database is unavailable.");
    public static readonly Refusal Error = new("error", 400, "The request failed.");

    public static IReadOnlyList<Refusal> All { get; } =
    [
        NotFound, CodeNotFound, DuplicateOrder, CodeInactive, SelfReferral, AlreadyReferred, ReferrerCapReached, InvalidState,
        OrderBelowMinimum, InsufficientCredit, CurrencyMismatch, CodeDisabled, CodeExpired, ProgramNotStarted, ProgramEnded,
        CodeExhausted, CustomerLimitReached, NotNewCustomer, AlreadyRedeemed, CodeNotAllowed, CodeTaken, PatternTooSmall,
        OwnerRequired, OrderRequired, WrongProgramKind, ProgramHasRedemptions, ClickNotFound, IdempotencyKeyReused,
        QualificationWindowClosed, BudgetExhausted, BudgetBelowCommitted,
        ValidationFailed, Unauthorized, Forbidden, MethodNotAllowed, NotAcceptable, Conflict, PayloadTooLarge, UnsupportedMediaType,
        Unprocessable, RateLimited, InternalError, ServiceUnavailable, DatabaseUnavailable, Error,
    ];

    private static readonly Dictionary<string, Refusal> ByCode = All.ToDictionary(r => r.Code);

    public static bool TryFind(string code, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Refusal refusal) =>
        ByCode.TryGetValue(code, out refusal);

    /// <summary>The refusal for a code, or an exception naming where it came from (a server error, not a client answer).</summary>
    public static Refusal Find(string code, string source) =>
        TryFind(code, out var refusal) ? refusal : throw new UnknownStatusException(source, code);

    /// <summary>The default refusal for a bare status from the framework (routing 404s, 405s, auth failures).</summary>
    public static Refusal ForStatus(int status) => status switch
    {
        400 => ValidationFailed,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        406 => NotAcceptable,
        409 => Conflict,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        422 => Unprocessable,
        429 => RateLimited,
        503 => ServiceUnavailable,
        _ when status >= 500 => InternalError,
        _ => Error,
    };
}

/// <summary>The status words a procedure may return that are not refusals.</summary>
internal static class Outcomes
{
    /// <summary>Done as asked.</summary>
    public const string Ok = "ok";

    /// <summary>Done before: the same request again (a spend for an order that already has this very spend).</summary>
    public const string Existing = "existing";

    /// <summary>A drawn code belongs to someone else: draw another (never reaches a client).</summary>
    public const string CodeCollision = "code_collision";

    public static bool IsKnown(string status) => status is Ok or Existing or CodeCollision || Refusals.TryFind(status, out _);
}

/// <summary>A procedure answered with a status word that neither <see cref="Refusals"/> nor <see cref="Outcomes"/> knows.</summary>
internal sealed class UnknownStatusException(string source, string status)
    : InvalidOperationException($"{source} returned the status '{status}', which the refusal catalogue lacks.");
