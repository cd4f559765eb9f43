namespace StemeQL.Cli;

/// <summary>A -c text or a -f file, run in the order given on the command line.</summary>
internal readonly record struct ScriptSource(bool IsFile, string Value);

/// <summary>The parsed command line of <c>steme</c>.</summary>
internal sealed class ShellOptions
{
    /// <summary>The folder opened when none is named.</summary>
    public const string DefaultFolder = "./stemedb";

    /// <summary>The exit code for a bad command line.</summary>
    public const int UsageExitCode = 2;

    public const string Usage = """
        Usage: steme [options] [folder]
               steme [options] --connection "Storage=postgres;Data Source='Host=...'"
               steme import FILE.jsonl [folder] [--agent NAME] [--batch-size N]   (see steme import --help)
               steme check [folder | --connection TEXT] [--repair]                 (see steme check --help)
               steme recover [--salvage] [folder]                                 (see steme recover --help)

        Opens the StemeQL database in folder (created if missing; default ./stemedb, or :memory:)
        and starts an interactive shell, or runs the statements given with -c / -f and exits.

        Options:
          -c, --command TEXT  run the statements in TEXT, then exit
          -f, --file PATH     run the script at PATH, then exit
                              (-c and -f may be repeated; they run in order and stop at the first error)
          --connection TEXT   open the store a StemeQL connection string names (a PostgreSQL
                              store, say) instead of a folder; --agent and --read-only apply over it
          --agent NAME        the agent that writes (default: the connection string's Agent, else
                              $STEME_AGENT, else anonymous)
          --timer, --no-timer show the time each statement takes (default: on at an interactive prompt)
          --csv, --json       print results as CSV or as JSON arrays of objects (default: tables)
          --mode MODE         print results as table, csv, json or line (as .mode does)
          -o, --output FILE   write results to FILE instead of standard output (errors still go to stderr)
          --read-only         open the folder read-only: ASSERT and VOTE fail with ReadOnly
          --otlp URL          export spans, metrics and log events to an OTLP collector (http://host:4318, or :4317 for gRPC)
          --prometheus PORT   serve the metrics for Prometheus at http://127.0.0.1:PORT/metrics while the shell runs
          -h, --help          show this help and exit
          --version           show the version and exit

        Exit codes: 0 success, 1 a statement or the database failed, 2 bad command line.
        """;

    /// <summary>The folder or connection string to open.</summary>
    public StoreTarget Target { get; private set; } = StoreTarget.Default;

    /// <summary>The folder to open, or null when <c>--connection</c> names the store.</summary>
    public string? Folder => Target.Folder;

    /// <summary>The agent named by <c>--agent</c> or $STEME_AGENT, else anonymous (a connection string's own Agent comes between them).</summary>
    public string Agent => _agent.Effective;

    private readonly AgentChoice _agent;

    private ShellOptions(AgentChoice agent) => _agent = agent;

    /// <summary>Null means the mode decides: on for an interactive prompt, off for scripts.</summary>
    public bool? Timer { get; private set; }

    public List<ScriptSource> Scripts { get; } = [];

    /// <summary>How results are printed at start.</summary>
    public OutputMode Mode { get; private set; } = OutputMode.Table;

    /// <summary>The file results are written to; null writes them to standard output.</summary>
    public string? OutputPath { get; private set; }

    /// <summary>Open the folder read-only.</summary>
    public bool ReadOnly { get; private set; }

    /// <summary>The OTLP collector to export telemetry to (<c>--otlp</c>), or null.</summary>
    public Uri? OtlpEndpoint { get; private set; }

    /// <summary>The loopback port of the Prometheus scrape endpoint (<c>--prometheus</c>), or null.</summary>
    public int? PrometheusPort { get; private set; }

    public bool ShowHelp { get; private set; }

    public bool ShowVersion { get; private set; }

    /// <summary>True when there is nothing to run but the interactive shell.</summary>
    public bool Interactive => Scripts.Count == 0;

    /// <summary>The connection string for the target, agent and read-only choice.</summary>
    public string ConnectionString => Target.ConnectionString(_agent, ReadOnly);

    /// <summary>Parses <paramref name="args"/>; <paramref name="environment"/> reads variables such as STEME_AGENT.</summary>
    /// <exception cref="ShellOptionsException">The arguments are not valid.</exception>
    public static ShellOptions Parse(IReadOnlyList<string> args, Func<string, string?>? environment = null)
    {
        var options = new ShellOptions(new AgentChoice(environment));

        string? folder = null, connection = null;
        bool onlyPositional = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (onlyPositional || !arg.StartsWith('-'))
            {
                folder = folder is null ? arg : throw new ShellOptionsException($"only one folder can be opened, got '{folder}' and '{arg}'");
                continue;
            }

            // Accept both "--agent bob" and "--agent=bob".
            var (name, inline) = OptionSyntax.Split(arg);
            string Value() => OptionSyntax.Value(name, inline, args, ref i);

            switch (name)
            {
                case "--": onlyPositional = true; break;
                case "-c" or "--command": options.Scripts.Add(new ScriptSource(false, Value())); break;
                case "-f" or "--file": options.Scripts.Add(new ScriptSource(true, Value())); break;
                case "--agent": options._agent.Name(Value()); break;
                case StoreTarget.ConnectionOption: connection = Value(); break;
                case "--timer": options.Timer = true; break;
                case "--no-timer": options.Timer = false; break;
                case "--csv": options.Mode = OutputMode.Csv; break;
                case "--json": options.Mode = OutputMode.Json; break;
                case "--mode":
                    string mode = Value();
                    options.Mode = OutputModes.TryParse(mode, out var parsed)
                        ? parsed
                        : throw new ShellOptionsException($"unknown output mode '{mode}': use one of {OutputModes.Names}");
                    break;
                case "-o" or "--output": options.OutputPath = Value(); break;
                case "--read-only": options.ReadOnly = true; break;
                case "--otlp":
                    string url = Value();
                    options.OtlpEndpoint = Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                        ? uri
                        : throw new ShellOptionsException($"--otlp needs an http(s) URL such as http://localhost:4318, got '{url}'");
                    break;
                case "--prometheus":
                    string port = Value();
                    options.PrometheusPort = int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number) && number is > 0 and < 65536
                        ? number
                        : throw new ShellOptionsException($"--prometheus needs a port number (1-65535), got '{port}'");
                    break;
                case "-h" or "--help" or "-?": options.ShowHelp = true; break;
                case "--version": options.ShowVersion = true; break;
                default: throw new ShellOptionsException($"unknown option '{arg}'");
            }
            if (inline is not null && name is not ("--command" or "--file" or "--agent" or StoreTarget.ConnectionOption or "--mode" or "--output" or "--otlp" or "--prometheus"))
                throw new ShellOptionsException($"option {name} takes no value");
        }

        options.Target = StoreTarget.FromArguments(folder, connection);
        return options;
    }
}

/// <summary>A command line that <see cref="ShellOptions.Parse"/> rejects.</summary>
internal sealed class ShellOptionsException(string message) : Exception(message);
