using System.Data.SqlTypes;
using ReferralService.Data;
using ReferralService.Infrastructure;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Infrastructure;

public sealed class TimeTests
{
    [Test]
    public void The_suite_runs_in_a_time_zone_that_is_not_utc() =>
        Assert.That(TimeZoneInfo.Local.GetUtcOffset(DateTime.UtcNow), Is.Not.EqualTo(TimeSpan.Zero),
            "test.runsettings sets TZ; without it a UTC/local mix-up would go unseen");

    [Test]
    public void A_time_read_back_without_a_kind_is_taken_as_utc_not_shifted()
    {
        var stored = new DateTime(2026, 3, 1, 12, 30, 0, DateTimeKind.Unspecified); // SQL Server's datetime2

        Assert.That(stored.AsUtc(), Is.EqualTo(new DateTime(2026, 3, 1, 12, 30, 0, DateTimeKind.Utc)));
        Assert.That(stored.AsUtc().Kind, Is.EqualTo(DateTimeKind.Utc));
    }

    [Test]
    public async Task A_new_program_says_it_was_created_now_in_utc()
    {
        using var admin = Api.Admin();
        var program = await Scenario.NewProgramAsync();

        var createdAt = (await admin.Programs.GetProgramAsync(program).Ok()).CreatedAt;

        Assert.That(createdAt.Offset, Is.EqualTo(TimeSpan.Zero), "ISO-8601 UTC, with its Z");
        Assert.That(createdAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(2)));
    }

    [Test]
    public async Task New_ids_are_ordered_the_way_the_engine_orders_them()
    {
        var program = await Scenario.NewProgramAsync();

        Assert.That(program.Version, Is.EqualTo(TestRun.Database.IsPostgres ? 7 : 8));
    }

    [Test]
    public void Sql_server_ids_ascend_in_sql_servers_uniqueidentifier_order()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 2000).Select(i => SqlServerIds.New(start.AddMilliseconds(i * 7))).ToList();

        Assert.That(ids.Select(id => new SqlGuid(id)), Is.Ordered);
        Assert.That(ids.Select(id => id.Version), Is.All.EqualTo(8));
        Assert.That(ids.Select(id => id.Variant), Is.All.InRange(0b1000, 0b1011), "RFC 9562 variant: 10xx");
    }
}
