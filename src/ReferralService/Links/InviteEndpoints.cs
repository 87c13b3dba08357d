using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using ReferralService.Auth;
using ReferralService.Codes;
using ReferralService.Customers;
using ReferralService.Infrastructure;
using ReferralService.Programs;

namespace ReferralService.Links;

/// <summary>A customer's invite (code, links, share text) and the QR code of a code's share URL.</summary>
internal static class InviteEndpoints
{
    /// <summary>How long a client may use a QR code without asking again (then If-None-Match makes asking cheap).</summary>
    private const string QrCacheControl = "private, max-age=3600";

    public static IServiceCollection AddInvites(this IServiceCollection services)
    {
        services.AddSingleton<InviteLinks>();
        services.AddOptions<LinkOptions>().Validate(InviteLinks.HasValidTemplates,
            "Links:ShareUrlTemplate must make an absolute http(s) URL containing {code} from {baseUrl}; Links:DeepLinkTemplate, when set, "
            + LinkSettingRules.DeepLinkRule);
        return services;
    }

    public static void MapInvites(this IEndpointRouteBuilder app)
    {
        app.MapCustomerRoutes().MapGet("/invite", GetInvite)
            .WithTags("Links").RequireAuthorization(Policies.CustomerCode)
            .WithName(nameof(GetInvite))
            .Refuses(Refusals.ValidationFailed, Refusals.NotFound, Refusals.CodeInactive, Refusals.CodeDisabled, Refusals.CodeExpired,
                Refusals.WrongProgramKind)
            .WithSummary("A customer's invite for a program: their code (made if missing, as the referral-code PUT does), its "
                + "shareUrl, deepLink and qrSvgUrl, the friend's offer in words and a ready shareText.")
            .WithDescription("Referral programs: the customer's personal code, created on first ask (always 200: the same answer "
                + "every time). Partner programs: the owner's newest active, unexpired vanity code (404 not_found when they have none). "
                + "Promo codes have no owner: 422 wrong_program_kind. A paused or ended program: 422 code_inactive; a personal code an admin "
                + "disabled or let expire: 422 code_disabled or code_expired. shareText is the "
                + "program's shareTextTemplate, else \"" + ShareText.DefaultTemplate + "\", with {code}, {shareUrl} and {offer} filled in.");

        app.MapGet("/v1/codes/{code}/qr", GetCodeQr)
            .WithTags("Links").RequireAuthorization(Policies.CustomerCode).LimitFailedCodeLookups()
            .WithName(nameof(GetCodeQr))
            .Produces<Stream>(StatusCodes.Status200OK, "image/svg+xml", "image/png")
            .Produces(StatusCodes.Status304NotModified)
            .Refuses(Refusals.ValidationFailed, Refusals.CodeNotFound)
            .WithSummary("The code's share URL as a QR code: format=svg (default) or png, size in pixels "
                + $"({QrCodes.MinSize}-{QrCodes.MaxSize}, default {QrCodes.DefaultSize}). A customer token gets its own codes only.")
            .WithDescription("SVG is drawn at exactly size × size; PNG with the largest whole number of pixels per module that fits. "
                + "Answers a strong ETag and Cache-Control: " + QrCacheControl + "; If-None-Match with that ETag answers 304. "
                + "Another customer's code is 404 code_not_found, and counts against the failed-code-lookup budget.");
    }

    private static async Task<Results<Ok<InviteResponse>, ValidationProblem, ProblemHttpResult>> GetInvite(
        string customerId, Guid programId, ProgramStore programs, CodeStore codes, InviteLinks links, LinkGenerator routes,
        TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (await programs.GetAsync(programId, ct) is not { Status: Outcomes.Ok, Row: { } program })
        {
            return Problems.NotFound();
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (!IsLive(program, now))
        {
            return Problems.For(Refusals.CodeInactive);
        }
        string code;
        switch (program.Kind)
        {
            case ProgramKinds.Referral:
                var personal = await CodeEndpoints.GetOrCreateReferralCodeAsync(codes, programId, customerId, ct);
                if (personal is not { Status: Outcomes.Ok, Row: { } row })
                {
                    return Problems.Refused(personal.Status);
                }
                // A personal code an admin disabled (or let expire) is not shared: its link would find nothing.
                var check = await codes.CheckAsync(row.Code, null, null, null, null, time.GetUtcNow(), ct);
                if (check.Row?.Reason is { } reason && (reason == Refusals.CodeDisabled.Code || reason == Refusals.CodeExpired.Code))
                {
                    return Problems.Refused(reason);
                }
                code = row.Code;
                break;
            case ProgramKinds.Partner:
                if (await NewestVanityCodeAsync(codes, programId, customerId, now, ct) is not { } vanity)
                {
                    return Problems.NotFound();
                }
                code = vanity;
                break;
            default:
                return Problems.For(Refusals.WrongProgramKind);
        }

        var shareUrl = links.ShareUrl(code);
        var qr = routes.GetUriByName(http, nameof(GetCodeQr), new RouteValueDictionary { ["code"] = code })
            ?? throw new InvalidOperationException("No route to the QR code.");
        var offer = ShareText.Offer(program);
        return TypedResults.Ok(new InviteResponse(code, programId, customerId,
            new InviteLinksResponse(shareUrl, links.DeepLink(code, program.DeepLinkTemplate), new Uri(qr)),
            offer, ShareText.Render(program.ShareTextTemplate, code, shareUrl, offer)));
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> GetCodeQr(
        string code, string? format, int? size, CodeStore codes, InviteLinks links, TimeProvider time, HttpContext http,
        CancellationToken ct)
    {
        // A code that breaks the code rule cannot exist.
        if (!Inputs.IsCode(code))
        {
            return Problems.For(Refusals.CodeNotFound);
        }
        if (format is not (null or "svg" or "png"))
        {
            return Problems.Invalid(nameof(format), "svg or png.");
        }
        if (size is < QrCodes.MinSize or > QrCodes.MaxSize)
        {
            return Problems.Invalid(nameof(size), $"Pixels, from {QrCodes.MinSize} to {QrCodes.MaxSize}.");
        }
        // The dry run without customer or order is a plain lookup of the code and its owner.
        var check = await codes.CheckAsync(Inputs.NormalizeCode(code), null, null, null, null, time.GetUtcNow(), ct);
        if (check is not { Status: Outcomes.Ok, Row: { } found }
            || !(http.User.IsInRole(Roles.Admin) || http.User.IsInRole(Roles.Merchant) || found.OwnerId == http.User.FindFirst("sub")?.Value))
        {
            return Problems.For(Refusals.CodeNotFound);
        }

        var image = QrCodes.Draw(links.ShareUrl(found.Code), format ?? "svg", size ?? QrCodes.DefaultSize);
        http.Response.Headers.CacheControl = QrCacheControl;
        // The file result answers If-None-Match itself: 304 with the ETag when it matches.
        return TypedResults.File(image.Content, image.ContentType, entityTag: new EntityTagHeaderValue(image.ETag));
    }

    /// <summary>
    /// Whether the program's codes may be shared now: active and not past endsAt. A program that has not started yet may
    /// be shared ahead of its launch (its redirect sends visitors to the landing page until then).
    /// </summary>
    private static bool IsLive(ProgramRow program, DateTime now) =>
        program.ProgramStatus == "active" && !(program.EndsAt is { } ends && ends.AsUtc() <= now);

    /// <summary>A partner's code for the program: their newest active, unexpired vanity code, if they have one.</summary>
    private static async Task<string?> NewestVanityCodeAsync(CodeStore codes, Guid programId, string ownerId, DateTime now, CancellationToken ct)
    {
        var rows = await codes.ListAsync(programId, new CodeFilter(ownerId, null, "active"), null, 1000, ct);
        return rows.Where(r => r.Status == Outcomes.Ok).Select(r => r.Row).OfType<CodeRow>()
            .Where(c => c.ExpiresAt is not { } expires || expires.AsUtc() > now)
            .OrderByDescending(c => c.CreatedAt).Select(c => c.Code).FirstOrDefault();
    }
}
