namespace ReferralService.Infrastructure;

/// <summary>Rejects an over-long Idempotency-Key before the handler runs.</summary>
internal static class IdempotencyKeyFilter
{
    public static RouteHandlerBuilder AcceptsIdempotencyKey(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
            Idempotency.IsValidKey(context.HttpContext)
                ? await next(context).ConfigureAwait(false)
                : Problems.Invalid(Idempotency.HeaderName, $"At most {Idempotency.MaxKeyLength} characters."));
}
