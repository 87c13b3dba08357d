using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ReferralService.Infrastructure;

/// <summary>ProblemDetails with the stable machine <c>code</c> every error carries, built from the <see cref="Refusals"/> catalogue.</summary>
internal static class Problems
{
    public static string TitleFor(string code) => Refusals.TryFind(code, out var refusal) ? refusal.Title : code;

    public static string TypeFor(string code) => $"https://referral.example/problems/{code.Replace('_', '-')}";

    public static ProblemDetails Create(Refusal refusal, string? detail = null) => new()
    {
        Status = refusal.Status,
        Title = refusal.Title,
        Detail = detail,
        Type = TypeFor(refusal.Code),
        Extensions = { ["code"] = refusal.Code },
    };

    // ProblemHttpResult writes application/problem+json; endpoints declare what they refuse with Refuses(...).
    public static ProblemHttpResult For(Refusal refusal) => TypedResults.Problem(Create(refusal));

    /// <summary>The answer to a procedure's refusal word, with the catalogue's status (Data/Db.cs has already checked the word).</summary>
    public static ProblemHttpResult Refused(string code) => For(Refusals.Find(code, "a handler"));

    public static ProblemHttpResult NotFound() => For(Refusals.NotFound);

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] },
            title: Refusals.ValidationFailed.Title, type: TypeFor(Refusals.ValidationFailed.Code),
            extensions: new Dictionary<string, object?> { ["code"] = Refusals.ValidationFailed.Code });
}

/// <summary>The refusals an endpoint can answer with: its problem statuses in the OpenAPI document, and their codes.</summary>
internal sealed record RefusalMetadata(IReadOnlyList<Refusal> Refusals);

internal static class RefusalEndpoints
{
    /// <summary>Declares the refusals an endpoint answers with (401 and 403 for every secured one), from the catalogue.</summary>
    public static RouteHandlerBuilder Refuses(this RouteHandlerBuilder builder, params Refusal[] refusals)
    {
        Refusal[] all = [.. refusals, Refusals.Unauthorized, Refusals.Forbidden];
        builder.WithMetadata(new RefusalMetadata(all));
        foreach (var status in all.Select(r => r.Status).Distinct().Order())
        {
            builder.ProducesProblem(status);
        }
        return builder;
    }
}
