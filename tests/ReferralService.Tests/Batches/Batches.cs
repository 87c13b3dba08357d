using System.Net;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Batches;

/// <summary>Steps the batch tests share.</summary>
internal static class Batches
{
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    /// <summary>A promo program (a discount offer; its codes have no owner).</summary>
    public static Task<Guid> NewPromoProgramAsync() => Scenario.NewPromoProgramAsync(Offer.AmountOffer(1000));

    /// <summary>Polls the batch until it satisfies <paramref name="done"/>; fails after a generous bound rather than hang.</summary>
    public static async Task<CodeBatch> WaitForAsync(Guid batchId, Func<CodeBatch, bool> done, Caller? caller = null)
    {
        using var finance = caller is null ? Api.Finance() : null;
        var reader = caller ?? finance!;
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var batch = await reader.Batches.GetBatchAsync(batchId).Ok();
            if (done(batch))
            {
                return batch;
            }
            Assert.That(batch.Status, Is.Not.EqualTo("failed"), batch.FailureReason);
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"batch {batchId} still {batch.Status}, {batch.Generated} of {batch.Count}");
            await Task.Delay(50);
        }
    }

    public static Task<CodeBatch> CompletedAsync(Guid batchId) => WaitForAsync(batchId, b => b.Status == "completed");

    /// <summary>The codes the database holds for a batch.</summary>
    public static Task<int> CodesInDatabaseAsync(Guid batchId) =>
        TestRun.Database.ScalarAsync<int>(
            "SELECT count(*)::int FROM referral_codes WHERE batch_id = @batchId AND source = 'batch' AND owner_id IS NULL",
            "SELECT COUNT(*) FROM dbo.referral_codes WHERE batch_id = @batchId AND source = 'batch' AND owner_id IS NULL",
            new { batchId });

    public static async Task<CodeBatch> CreatedAsync(this Task<Response<CodeBatch>> response)
    {
        var answer = await response;
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.Accepted), answer.Text);
        Assert.That(answer.Location.OriginalString, Does.EndWith($"/v1/code-batches/{Json.Read<CodeBatch>(answer.Text).Id}"));
        return Json.Read<CodeBatch>(answer.Text);
    }
}
