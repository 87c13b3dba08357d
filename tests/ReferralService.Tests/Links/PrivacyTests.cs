using System.Net;
using System.Text;
using Dapper;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Links;

internal sealed class PrivacyTests
{
    [Test]
    public async Task No_raw_client_address_is_stored_anywhere_in_the_database()
    {
        if (!TestRun.Database.IsPostgres)
        {
            Assert.Ignore("The search over every column is written for PostgreSQL's catalog.");
        }
        var code = await Scenario.CodeForAsync(await Scenario.NewProgramAsync(), Api.NewCustomerId("owner"));
        var address = ShareLinks.NewAddress();
        foreach (var agent in new[] { Agents.IosSafari, Agents.AndroidChrome, Agents.DesktopFirefox })
        {
            using var visitor = LinkService.Instance.Visitor(agent, address);
            using var response = await visitor.GetAsync(new Uri($"/r/{code}?utm_source=x", UriKind.Relative));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        }
        await ShareLinks.ClicksOnceWrittenAsync(code, 3);
        var text = address.ToString();
        var bytes = address.GetAddressBytes();
        var mapped = address.MapToIPv6().GetAddressBytes();
        await using var connection = await TestRun.Database.OpenAsync();
        var columns = (await connection.QueryAsync<(string Table, string Column, string Type)>(
            "SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c " +
            "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name " +
            "WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' " +
            "AND c.data_type IN ('text', 'character varying', 'character', 'bytea', 'json', 'jsonb', 'inet', 'cidr')")).ToList();

        var found = new List<string>();
        foreach (var (table, column, type) in columns)
        {
            var sql = type == "bytea"
                ? $"SELECT count(*) FROM \"{table}\" WHERE position(@bytes IN \"{column}\") > 0 OR position(@mapped IN \"{column}\") > 0 OR position(@textBytes IN \"{column}\") > 0"
                : $"SELECT count(*) FROM \"{table}\" WHERE \"{column}\"::text LIKE '%' || @text || '%'";
            var hits = await connection.ExecuteScalarAsync<long>(sql, new { bytes, mapped, text, textBytes = Encoding.UTF8.GetBytes(text) });
            if (hits > 0)
            {
                found.Add($"{table}.{column}");
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(columns.Select(c => c.Table), Does.Contain("clicks"));
            Assert.That(found, Is.Empty, $"{text} found");
        });
    }
}
