namespace StemeQL.Cli;

/// <summary>The file named by <c>-o</c> / <c>--output</c>, which receives the results instead of standard output.</summary>
internal static class OutputFile
{
    /// <summary>Creates (or overwrites) the file; with no path there is no file. False, with the reason on <paramref name="error"/>, when it cannot be created.</summary>
    public static bool TryOpen(string? path, TextWriter error, out StreamWriter? file)
    {
        file = null;
        if (path is null) return true;
        try
        {
            file = new StreamWriter(path, append: false) { AutoFlush = true };
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"error: cannot write results to '{path}': {e.Message}");
            return false;
        }
    }
}
