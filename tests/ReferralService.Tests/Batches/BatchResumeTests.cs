using System.Text.RegularExpressions;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Batches;

/// <summary>
/// A batch outlives the instance generating it. Each test stops a real instance mid-batch (Batches:PauseAfterChunks
/// makes its worker stop after a few chunks, holding its claim, as a hung or stopping instance would) and lets another
/// instance on the same database finish it. The run's main instance never scans (ServiceFactory), so the instance
/// each test starts is the one that resumes.
/// </summary>
public sealed class BatchResumeTests
{
    [Test]
    public async Task A_batch_stopped_by_a_restart_resumes_on_the_next_instance_and_no_code_is_generated_twice()
    {
        var program = await Batches.NewPromoProgramAsync();
        Guid batchId;
        await using (var stopping = Api.ServiceWith(("Batches:ChunkSize", "1000"), ("Batches:PauseAfterChunks", "3")))
        {
            using var admin = stopping.As(Tokens.Admin);
            batchId = (await admin.Batches.CreateBatchAsync(program, new NewCodeBatch(10_000, Pattern: "RESUME-######")).CreatedAsync()).Id;
            var paused = await Batches.WaitForAsync(batchId, b => b.Generated >= 3_000);
            Assert.That((paused.Status, paused.Generated), Is.EqualTo(("running", 3_000)));
        } // the instance stops: its worker gives the batch back

        using var finance = Api.Finance();
        var left = await finance.Batches.GetBatchAsync(batchId).Ok();
        Assert.That((left.Status, left.Generated, await Batches.CodesInDatabaseAsync(batchId)), Is.EqualTo(("running", 3_000, 3_000)));

        await using var next = Api.ServiceWith("Batches:ChunkSize", "1000");
        next.CreateClient().Dispose(); // starts it: its start-up scan finds the batch
        var done = await Batches.CompletedAsync(batchId);
        var codes = await finance.Batches.ListCodesAsCsvAsync(batchId);

        Assert.Multiple(async () =>
        {
            Assert.That(done.Generated, Is.EqualTo(10_000));
            Assert.That(await Batches.CodesInDatabaseAsync(batchId), Is.EqualTo(10_000));
            Assert.That(codes.Select(c => c.Code), Is.Unique);
            Assert.That(codes.Select(c => c.Code), Has.All.Match(new Regex($"^RESUME-[{Batches.Alphabet}]{{6}}$")));
        });
    }

    [Test]
    public async Task A_batch_whose_worker_hangs_is_taken_over_when_its_lease_runs_out_and_the_old_worker_cannot_touch_it_again()
    {
        var program = await Batches.NewPromoProgramAsync();
        await using var hung = Api.ServiceWith(("Batches:ChunkSize", "1000"), ("Batches:PauseAfterChunks", "2"), ("Batches:LeaseSeconds", "1"));
        using var admin = hung.As(Tokens.Admin);
        var batchId = (await admin.Batches.CreateBatchAsync(program, new NewCodeBatch(5_000, Pattern: "HUNG-######")).CreatedAsync()).Id;
        var paused = await Batches.WaitForAsync(batchId, b => b.Generated >= 2_000);
        Assert.That((paused.Status, paused.Generated), Is.EqualTo(("running", 2_000)));

        await using (var rescuer = Api.ServiceWith(("Batches:ChunkSize", "1000"), ("Batches:ScanIntervalSeconds", "1")))
        {
            rescuer.CreateClient().Dispose(); // its scans take the batch once the hung worker's lease has run out
            await Batches.CompletedAsync(batchId);
        }
        await hung.DisposeAsync(); // the hung worker wakes to stop and tries to give back a batch it no longer holds

        using var finance = Api.Finance();
        var batch = await finance.Batches.GetBatchAsync(batchId).Ok();
        Assert.That((batch.Status, batch.Generated, await Batches.CodesInDatabaseAsync(batchId)), Is.EqualTo(("completed", 5_000, 5_000)));
    }
}
