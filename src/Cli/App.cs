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

        // Started before the connection opens, so the store's opening is exported too.
        using var telemetry = TelemetryExport.Start(options);
        using var connection = new StoreNotices(host.Error, telemetry?.Logs).Connection(options.ConnectionString);
        try
        {
            connection.Open();
        }
        catch (Exception e) when (e is StemeException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            // The provider's own errors name the folder; others may not.
            host.Error.WriteLine(e is StemeException ? ErrorReporter.Describe(e) : $"{ErrorReporter.Describe(e)} (opening '{options.Target.Description}')");
            return 1;
        }

        if (!OutputFile.TryOpen(options.OutputPath, host.Error, out var file)) return 1;
        using (file)
        {
            bool person = options.Interactive && host.IsTerminal;
            var executor = new StatementExecutor(connection, file ?? host.Out, host.Error) { Timer = options.Timer ?? person };
            executor.Printer.Mode = options.Mode;
            using var cancelKey = CancelKeyHandler.Install(host, executor, interactive: person);
            return options.Interactive ? RunInteractive(options, executor, host) : ScriptRunner.Run(options.Scripts, executor);
        }
    }

    private static int RunInteractive(ShellOptions options, StatementExecutor executor, ConsoleHost host)
    {
        bool person = host.IsTerminal;
        var history = new HistoryFile(person ? host.HistoryPath : null);
        ILineReader input = person && host.IsRealConsole
            ? new ConsoleLineEditor(history.Entries)
            : new TextLineReader(host.In, person ? host.Out : null);
        var shell = new Shell(executor, input, new ShellSettings { ShowPrompts = person }, history);

        if (person)
        {
            host.Out.WriteLine($"{VersionText}: database '{options.Folder ?? executor.Connection.DataSource}', agent '{executor.Connection.Agent}'{(options.ReadOnly ? ", read-only" : "")}.");
            host.Out.WriteLine("Type .help or \\? for help, .quit or \\q (or Ctrl+D) to leave; end statements with ;");
        }
        int code = shell.Run();
        // At a terminal a mistyped statement is not a failure of the session; a piped script's is.
        return person ? 0 : code;
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
