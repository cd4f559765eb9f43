using System.Reflection;

namespace StemeQL.Cli;

/// <summary>The <c>steme</c> command: parses the command line, opens the database and runs the shell or the scripts.</summary>
internal static class App
{
    /// <returns>The process exit code: 0 success, 1 a failed statement or database, 2 a bad command line.</returns>
    public static int Run(IReadOnlyList<string> args, ConsoleHost host)
    {
        // A subcommand comes first; a folder named "import" or "recover" can still be opened as ./import.
        if (args.Count > 0 && args[0] == "import")
            return ImportCommand.Run(args.Skip(1).ToList(), host);
        if (args.Count > 0 && args[0] == "check")
            return CheckCommand.Run(args.Skip(1).ToList(), host);
        if (args.Count > 0 && args[0] == "recover")
            return RecoverCommand.Run(args.Skip(1).ToList(), host);

        ShellOptions options;
        try
        {
            options = ShellOptions.Parse(args, host.Environment);
        }
        catch (ShellOptionsException e)
        {
            host.Error.WriteLine($"steme: {e.Message}");
            host.Error.WriteLine();
            host.Error.WriteLine(ShellOptions.Usage);
            return ShellOptions.UsageExitCode;
        }
        if (options.ShowHelp)
        {
            host.Out.WriteLine(ShellOptions.Usage);
            return 0;
        }
        if (options.ShowVersion)
        {
            host.Out.WriteLine(VersionText);
            return 0;
        }

        using var connection = new StemeConnection(options.ConnectionString);
        try
        {
            connection.Open();
        }
        catch (Exception e) when (e is StemeException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            // The provider's own errors name the folder; others may not.
            host.Error.WriteLine(e is StemeException ? ErrorReporter.Describe(e) : $"{ErrorReporter.Describe(e)} (opening '{options.Folder}')");
            return 1;
        }

        if (!options.Interactive)
            return ScriptRunner.Run(options.Scripts, connection, host.Out, host.Error, options.Timer ?? false);
        return RunInteractive(options, connection, host);
    }

    private static int RunInteractive(ShellOptions options, StemeConnection connection, ConsoleHost host)
    {
        bool person = host.IsTerminal;
        var history = new HistoryFile(person ? host.HistoryPath : null);
        ILineReader input = person && host.IsRealConsole
            ? new ConsoleLineEditor(history.Entries)
            : new TextLineReader(host.In, person ? host.Out : null);
        var settings = new ShellSettings { ShowPrompts = person, Timer = options.Timer ?? person };
        var shell = new Shell(connection, input, host.Out, host.Error, settings, history);

        if (person)
        {
            host.Out.WriteLine($"{VersionText}: database '{options.Folder}', agent '{connection.Agent}'.");
            host.Out.WriteLine("Type .help for help, .quit to leave; end statements with ;");
        }

        ConsoleCancelEventHandler? cancel = null;
        if (host.IsRealConsole)
        {
            // Ctrl+C cancels a running statement; at the prompt it still ends the shell.
            cancel = (_, e) => e.Cancel = shell.Executor.CancelRunning();
            Console.CancelKeyPress += cancel;
        }
        try
        {
            int code = shell.Run();
            // At a terminal a mistyped statement is not a failure of the session; a piped script's is.
            return person ? 0 : code;
        }
        finally
        {
            if (cancel is not null) Console.CancelKeyPress -= cancel;
        }
    }

    /// <summary>For example <c>steme 1.0.0 (StemeQL 1.0.0.0)</c>.</summary>
    public static string VersionText
    {
        get
        {
            string cli = typeof(App).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0";
            int plus = cli.IndexOf('+', StringComparison.Ordinal);
            string provider = typeof(StemeConnection).Assembly.GetName().Version?.ToString() ?? "1.0.0";
            return $"steme {(plus >= 0 ? cli[..plus] : cli)} (StemeQL {provider})";
        }
    }
}
