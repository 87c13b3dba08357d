using System.Text;
using DbUp.Builder;
using DbUp.Engine;
using DbUp.Support;

namespace ReferralService.Data;

/// <summary>
/// Deploys db/&lt;engine&gt;/ in one fixed order: schema/ scripts once each, by number; then
/// procedures/helpers/ (functions, table-valued views and the procedures other procedures call);
/// then the feature folders (procedures/&lt;feature&gt;/, e.g. programs/, redemptions/), each on every deploy.
/// </summary>
internal static class Migrations
{
    public const string HelpersFolder = "helpers";

    /// <param name="builder">A new DbUp builder for the database on each call (a builder builds one engine).</param>
    public static void Deploy(Func<UpgradeEngineBuilder> builder, string engineFolder)
    {
        JournalRenamedScripts(builder, engineFolder);
        var result = builder()
            .WithScripts(Scripts(engineFolder))
            // Scripts() is the one deploy order, kept as given.
            .WithScriptSorter(scripts => scripts)
            // A schema change on a large table (an index rebuild) outlasts the provider's 30 s default.
            .WithExecutionTimeout(TimeSpan.FromMinutes(60))
            .WithTransactionPerScript()
            .WithVariablesDisabled()
            .LogToNowhere()
            .Build()
            .PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Migration failed in script '{result.ErrorScript?.Name}'.", result.Error);
        }
    }

    /// <summary>
    /// Schema scripts renamed after a release had journaled them, (old name, new name), for an engine folder.
    /// Numbers say which change a script is, the same on both engines (README, "Schema scripts"); DbUp
    /// journals a script by its name, so without this a renamed script would run again on a live database.
    /// </summary>
    public static IReadOnlyList<(string Old, string New)> RenamedSchemaScripts(string engineFolder) =>
        Path.GetFileName(Path.TrimEndingDirectorySeparator(engineFolder)) switch
        {
            "postgres" => [("0002_lean_writes.sql", "0003_lean_writes.sql"), ("0003_idempotency_purge.sql", "0004_idempotency_purge.sql")],
            _ => [],
        };

    // Before DbUp reads its journal: a renamed script whose old name is journaled gets its new name journaled
    // too, through DbUp's own journal (same table and columns on either engine; Applied is the time of this
    // step). The old entry stays, so the release before still finds every script it knows. Idempotent: a new
    // name already journaled is left alone.
    private static void JournalRenamedScripts(Func<UpgradeEngineBuilder> builder, string engineFolder)
    {
        var renamed = RenamedSchemaScripts(engineFolder);
        if (renamed.Count == 0)
        {
            return;
        }
        static SqlScript Named(string name) => new(name, "", new SqlScriptOptions { ScriptType = ScriptType.RunOnce, RunGroupOrder = 1 });
        var journaled = builder().WithScripts(renamed.Select(r => Named(r.New))).LogToNowhere().Build().GetExecutedScripts();
        var aliases = renamed.Where(r => journaled.Contains(r.Old) && !journaled.Contains(r.New)).Select(r => Named(r.New)).ToList();
        if (aliases.Count == 0)
        {
            return;
        }
        var result = builder().WithScripts(aliases).LogToNowhere().Build().MarkAsExecuted();
        if (!result.Successful)
        {
            throw new InvalidOperationException("Recording renamed schema scripts in the journal failed.", result.Error);
        }
    }

    /// <summary>Every script of an engine, in the order it is deployed (the static T-SQL rules check this order).</summary>
    public static IReadOnlyList<SqlScript> Scripts(string engineFolder)
    {
        var schema = Path.Combine(engineFolder, "schema");
        var procedures = Path.Combine(engineFolder, "procedures");
        var helpers = Path.Combine(procedures, HelpersFolder);
        var others = Directory.EnumerateFiles(procedures, "*.sql", SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(procedures, path).StartsWith(HelpersFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        return
        [
            .. Group(schema, Directory.EnumerateFiles(schema, "*.sql"), ScriptType.RunOnce, 1),
            .. Group(procedures, Directory.Exists(helpers) ? Directory.EnumerateFiles(helpers, "*.sql", SearchOption.AllDirectories) : [],
                ScriptType.RunAlways, 2),
            .. Group(procedures, others, ScriptType.RunAlways, 3),
        ];
    }

    // Names as DbUp's file-system provider gives them (the path below the folder, '/' as '.'): the
    // journal already holds the schema scripts under these names.
    private static IEnumerable<SqlScript> Group(string folder, IEnumerable<string> files, ScriptType type, int order) =>
        files.Select(path => SqlScript.FromFile(folder, path, Encoding.UTF8, new SqlScriptOptions { ScriptType = type, RunGroupOrder = order }))
            .OrderBy(script => script.Name, StringComparer.Ordinal);

    public static string ScriptsRoot => Path.Combine(AppContext.BaseDirectory, "db");
}
