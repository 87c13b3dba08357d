namespace ReferralService.Links;

/// <summary>A customer's invite: their code, its links, what the friend gets in words and a ready text to share.</summary>
internal sealed record InviteResponse(
    string Code, Guid ProgramId, string CustomerId, InviteLinksResponse Links, string Offer, string ShareText);

/// <summary>
/// shareUrl: the link to share (/r/{code} on the share domain); deepLink: the app's own link for the code (null when neither
/// the program nor the configuration has a template); qrSvgUrl: the QR code of shareUrl (needs the same token).
/// </summary>
internal sealed record InviteLinksResponse(Uri ShareUrl, Uri? DeepLink, Uri QrSvgUrl);
