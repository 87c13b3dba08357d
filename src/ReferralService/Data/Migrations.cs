using System.Text;
using DbUp.Builder;
using DbUp.Engine;
using DbUp.Support;

namespace ReferralService.Data;

/// <summary>
/// Deploys db/&lt;engine&gt;/ in one fixed order: schema/ scripts once each, by number; then
/// procedures/helpers/ (functions, table-valued views and the procedures other procedures call);
/// then every other procedure script, subfolders included, each on every deploy.
/// </summary>
internal static class Migrations
{
    public const string HelpersFolder = "helpers";

    public static void Deploy(UpgradeEngineBuilder builder, string engineFolder)
    {
        var result = builder
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
