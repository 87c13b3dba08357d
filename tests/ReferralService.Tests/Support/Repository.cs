namespace ReferralService.Tests.Support;

internal static class Repository
{
    /// <summary>The checkout's top folder (the one holding ReferralService.sln).</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReferralService.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("ReferralService.sln not found above " + AppContext.BaseDirectory);
    }
}
