namespace ReferralService.Tests.Support;

internal sealed class JobsClient(HttpClient http) : FeatureClient(http)
{
    /// <summary>One pass of every kind of due work on this instance, now (admin).</summary>
    public Task<Response<JobPass>> RunAsync() => PostAsync<JobPass>("/v1/jobs/run", new { });
}

internal sealed record JobPass(IReadOnlyList<JobKindRun> Kinds)
{
    public JobKindRun this[string kind] => Kinds.Single(k => k.Kind == kind);

    /// <summary>The pass, after asserting that no kind failed.</summary>
    public JobPass Succeeded()
    {
        Assert.That(Kinds.Where(k => k.Error is not null).Select(k => $"{k.Kind}: {k.Error}"), Is.Empty, "a kind of job failed");
        return this;
    }
}

internal sealed record JobKindRun(
    string Kind, int Done, DateTimeOffset? OldestDue, double? LagSeconds, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string? Error);

internal static class JobKinds
{
    public const string PostHeldRewards = "post_held_rewards";
    public const string ExpireRedemptions = "expire_redemptions";
    public const string ExpireCreditLots = "expire_credit_lots";
    public const string PurgeIdempotencyKeys = "purge_idempotency_keys";
}
