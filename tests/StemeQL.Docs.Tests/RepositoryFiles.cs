namespace StemeQL.Docs.Tests;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class RepositoryFiles
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds StemeQL.sln.</summary>
    public static readonly string Root = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "StemeQL.sln"))) return dir.FullName;
        throw new InvalidOperationException("No StemeQL.sln above " + AppContext.BaseDirectory);
    }
}
