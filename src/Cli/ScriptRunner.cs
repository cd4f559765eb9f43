namespace StemeQL.Cli;

/// <summary>Runs the -c texts and -f files in order, stopping at the first error.</summary>
internal static class ScriptRunner
{
    /// <returns>0 when every statement succeeded, 1 at the first failure.</returns>
    public static int Run(IEnumerable<ScriptSource> scripts, StatementExecutor executor)
    {
        var settings = new ShellSettings { StopOnError = true };
        foreach (var script in scripts)
        {
            string text;
            if (!script.IsFile)
                text = script.Value;
            else
            {
                try
                {
                    text = File.ReadAllText(script.Value);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
                {
                    executor.Error.WriteLine($"error: cannot read script '{script.Value}': {e.Message}");
                    return 1;
                }
            }

            // A script is the shell fed from a string, so commands such as .timer and .mode work in scripts too,
            // and (sharing the executor) carry on to the next script.
            var shell = new Shell(executor, new TextLineReader(new StringReader(text)), settings);
            if (shell.Run() != 0) return 1;
            if (shell.QuitRequested) break;
        }
        return 0;
    }
}
