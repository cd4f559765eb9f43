namespace StemeQL.TestSupport;

/// <summary>
/// tools/test-servers in this clone, found by walking up from the test binaries: the scripts that start
/// the loopback servers, the servers' installs (node_modules) and the settings they write (.run/*.env).
/// </summary>
internal static class TestServerFolder
{
    /// <summary>The folder, or null when the binaries do not sit in a clone.</summary>
    public static string? Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "tools", "test-servers");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The folder; throws when the binaries do not sit in a clone.</summary>
    public static string Get() =>
        Find() ?? throw new InvalidOperationException(
            $"tools/test-servers was not found above {AppContext.BaseDirectory}: run the tests from a clone of the repository.");
}
