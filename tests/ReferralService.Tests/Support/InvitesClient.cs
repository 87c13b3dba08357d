using System.Net;
using System.Net.Http.Headers;

namespace ReferralService.Tests.Support;

internal sealed class InvitesClient(HttpClient http) : FeatureClient(http)
{
    private readonly HttpClient http = http;

    public Task<Response<Invite>> GetInviteAsync(string customerId, Guid? programId) =>
        GetAsync<Invite>(WithQuery($"/v1/customers/{Escaped(customerId)}/invite", ("programId", programId?.ToString())));

    /// <summary>The QR code of a code, as bytes; with <paramref name="ifNoneMatch"/>, a conditional request.</summary>
    public async Task<QrAnswer> GetQrAsync(string code, string? format = null, int? size = null, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            WithQuery($"/v1/codes/{Escaped(code)}/qr", ("format", format), ("size", size?.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(ifNoneMatch));
        }
        using var response = await http.SendAsync(request);
        return new QrAnswer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers.ETag?.ToString(),
            response.Headers.CacheControl?.ToString(), await response.Content.ReadAsByteArrayAsync());
    }
}

internal sealed record Invite(string Code, Guid ProgramId, string CustomerId, InviteLinks Links, string Offer, string ShareText);

internal sealed record InviteLinks(Uri ShareUrl, Uri? DeepLink, Uri QrSvgUrl);

internal sealed record QrAnswer(HttpStatusCode Status, string? MediaType, string? ETag, string? CacheControl, byte[] Content);
