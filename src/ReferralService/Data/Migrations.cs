using DbUp.Builder;
using DbUp.Engine;
using DbUp.Support;

namespace ReferralService.Data;

/// <summary>Deploys db/&lt;engine&gt;/: schema scripts once, in order; procedure scripts on every deploy.</summary>
internal static class Migrations
{
    public static void Deploy(UpgradeEngineBuilder builder, string engineFolder)
    {
        var result = builder
            .WithScriptsFromFileSystem(Path.Combine(engineFolder, "schema"),
                new SqlScriptOptions { ScriptType = ScriptType.RunOnce, RunGroupOrder = 1 })
            .WithScriptsFromFileSystem(Path.Combine(engineFolder, "procedures"),
                new SqlScriptOptions { ScriptType = ScriptType.RunAlways, RunGroupOrder = 2 })
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

    public static string ScriptsRoot => Path.Combine(AppContext.BaseDirectory, "db");
}
