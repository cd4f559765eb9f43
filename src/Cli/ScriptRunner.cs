namespace StemeQL.Cli;

/// <summary>Runs the -c texts and -f files in order, stopping at the first error.</summary>
internal static class ScriptRunner
{
    /// <returns>0 when every statement succeeded, 1 at the first failure.</returns>
    public static int Run(IEnumerable<ScriptSource> scripts, StemeConnection connection, TextWriter output, TextWriter error, bool timer)
    {
        var settings = new ShellSettings { StopOnError = true, Timer = timer };
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
                    error.WriteLine($"error: cannot read script '{script.Value}': {e.Message}");
                    return 1;
                }
            }

            // A script is the shell fed from a string, so dot-commands such as .timer work in scripts too.
            var shell = new Shell(connection, new StringReader(text), output, error, settings);
            if (shell.Run() != 0) return 1;
            if (shell.QuitRequested) break;
            settings = settings with { Timer = shell.Executor.Timer }; // a .timer in one script carries on to the next
        }
        return 0;
    }
}
