using System.Text.Json;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Platform;

/// <summary>The test-side records read answers strictly, so a contract change fails a test instead of reading as zero.</summary>
public sealed class ResponseRecordTests
{
    private const string Balance = """{"currency":"USD","available":100,"pending":0,"availableAt":null,"expiring":null,"expiresAt":null,"owed":0}""";

    [Test]
    public void A_complete_answer_reads_into_its_record() =>
        Assert.That(Json.Read<Balance>(Balance), Is.EqualTo(new Balance("USD", 100, 0, null, null, null, 0)));

    [TestCase("""{"currency":"USD","pending":0,"owed":0}""")]
    [TestCase("""{"currency":null,"available":100,"pending":0,"owed":0}""")]
    [TestCase("""{"currency":"USD","available":"100","pending":0,"owed":0}""")]
    public void A_missing_field_a_null_where_none_is_allowed_or_a_number_as_text_fails_to_read(string json) =>
        Assert.That(() => Json.Read<Balance>(json), Throws.InstanceOf<JsonException>());
}
