namespace ReferralService.Tests.Support;

/// <summary>One caller of the service, holding one token, with a small typed client per feature.</summary>
internal sealed class Caller(HttpClient http) : IDisposable
{
    public ProgramsClient Programs { get; } = new(http);

    public CodesClient Codes { get; } = new(http);

    public RedemptionsClient Redemptions { get; } = new(http);

    public CreditsClient Credits { get; } = new(http);

    public ReportsClient Reports { get; } = new(http);

    public BatchesClient Batches { get; } = new(http);

    public AttributionClient Attribution { get; } = new(http);

    public InvitesClient Invites { get; } = new(http);

    public JobsClient Jobs { get; } = new(http);

    public void Dispose() => http.Dispose();
}
