using System.Text.RegularExpressions;
using ReferralService.Data;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Data;

/// <summary>
/// db/&lt;engine&gt;/ as STYLE.md lays it out: procedures/helpers/ and one folder per feature, one procedure per
/// file named after it; schema scripts numbered alike on both engines.
/// </summary>
public sealed partial class LayoutTests
{
    private static readonly string[] Features = ["batches", "codes", "credits", "links", "platform", "programs", "redemptions", "reports"];

    [GeneratedRegex(@"^\s*CREATE\s+OR\s+(?:REPLACE|ALTER)\s+(?:FUNCTION|PROCEDURE)\s+(?:dbo\.)?(\w+)", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex Creates();

    private static IEnumerable<string> Engines() => ["postgres", "sqlserver"];

    [TestCaseSource(nameof(Engines))]
    public void Every_procedure_file_is_in_the_helpers_or_a_feature_folder_and_creates_the_one_procedure_it_is_named_after(string engine)
    {
        var procedures = Path.Combine(Repository.Root, "db", engine, "procedures");
        var misplaced = new List<string>();
        foreach (var path in Directory.EnumerateFiles(procedures, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(procedures, path).Replace(Path.DirectorySeparatorChar, '/');
            var created = Creates().Matches(File.ReadAllText(path)).Select(m => m.Groups[1].Value).ToList();
            if (relative.Split('/') is not [var folder, var file] || !(folder == Migrations.HelpersFolder || Features.Contains(folder))
                || created.Count != 1 || file != created[0] + ".sql")
            {
                misplaced.Add($"{relative} creates ({string.Join(", ", created)})");
            }
        }

        Assert.That(misplaced, Is.Empty);
    }

    // A change one engine needs and the other does not still takes its number on both: the other's script
    // is empty and says why at its top.
    [Test]
    public void Both_engines_have_the_same_schema_scripts_so_a_number_means_one_change()
    {
        static IEnumerable<string> Names(string engine) =>
            Directory.EnumerateFiles(Path.Combine(Repository.Root, "db", engine, "schema"), "*", SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(Path.Combine(Repository.Root, "db", engine), path)).Order(StringComparer.Ordinal);

        Assert.That(Names("sqlserver"), Is.EqualTo(Names("postgres")));
    }
}
