using System.Globalization;

namespace StemeQL.Cli;

/// <summary>The parsed command line of <c>steme import</c>.</summary>
internal sealed class ImportOptions
{
    public const string Usage = """
        Usage: steme import FILE.jsonl [folder | --connection TEXT] [options]

        Loads assertions and votes from a JSON Lines file into the database in folder (created if
        missing; default ./stemedb), in file order, a batch at a time; each batch is written
        atomically. Each line is one of:
          {"subject": "paris", "predicate": "capital_of", "object": "france",
           "epoch": "modern", "confidence": 0.9, "derived_from": ["<hash>"]}
          {"vote": "<hash>", "weight": 0.5}
        "object" is a string, number, boolean or {"bytes": "<base64>"}; epoch, confidence,
        derived_from and weight are optional. Blank lines are skipped.

        Options:
          --connection TEXT   load into the store a StemeQL connection string names (a PostgreSQL
                              store, say) instead of a folder
          --agent NAME        the agent that writes (default: the connection string's Agent, else
                              $STEME_AGENT, else anonymous)
          --batch-size N      lines per atomic write (default 8192)
          -h, --help          show this help and exit

        A malformed line stops the import with its line number and exit code 1: nothing of its
        batch is written; the batches before it stay.
        """;

    public string File { get; private set; } = "";

    /// <summary>The folder or connection string to load into.</summary>
    public StoreTarget Target { get; private set; } = StoreTarget.Default;

    /// <summary>The folder to load into, or null when <c>--connection</c> names the store.</summary>
    public string? Folder => Target.Folder;

    /// <summary>The agent named by <c>--agent</c> or $STEME_AGENT, else anonymous (a connection string's own Agent comes between them).</summary>
    public string Agent => _agent.Effective;

    private readonly AgentChoice _agent;

    private ImportOptions(AgentChoice agent) => _agent = agent;

    public int BatchSize { get; private set; } = StemeBulkLoader.DefaultBatchSize;

    public bool ShowHelp { get; private set; }

    /// <summary>The connection string for the target and agent.</summary>
    public string ConnectionString => Target.ConnectionString(_agent, readOnly: false);

    /// <summary>Parses the arguments after <c>import</c>.</summary>
    /// <exception cref="ShellOptionsException">The arguments are not valid.</exception>
    public static ImportOptions Parse(IReadOnlyList<string> args, Func<string, string?>? environment = null)
    {
        var options = new ImportOptions(new AgentChoice(environment));

        string? connection = null;
        var positional = new List<string>();
        bool onlyPositional = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (onlyPositional || !arg.StartsWith('-') || arg == "-")
            {
                positional.Add(arg);
                continue;
            }
            var (name, inline) = OptionSyntax.Split(arg);
            string Value() => OptionSyntax.Value(name, inline, args, ref i);

            switch (name)
            {
                case "--": onlyPositional = true; break;
                case "--agent": options._agent.Name(Value()); break;
                case StoreTarget.ConnectionOption: connection = Value(); break;
                case "--batch-size": options.BatchSize = ParseBatchSize(Value()); break;
                case "-h" or "--help" or "-?": options.ShowHelp = true; break;
                default: throw new ShellOptionsException($"unknown option '{arg}'");
            }
            if (inline is not null && name is not ("--agent" or "--batch-size" or StoreTarget.ConnectionOption))
                throw new ShellOptionsException($"option {name} takes no value");
        }

        if (options.ShowHelp) return options;
        if (positional.Count == 0) throw new ShellOptionsException("import needs a file to read");
        if (positional.Count > 2) throw new ShellOptionsException($"import takes a file and a folder, got also '{positional[2]}'");
        options.File = positional[0];
        options.Target = StoreTarget.FromArguments(positional.Count == 2 ? positional[1] : null, connection);
        return options;
    }

    private static int ParseBatchSize(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int size) && size >= 1
            ? size
            : throw new ShellOptionsException($"--batch-size needs a whole number of at least 1, not '{text}'");
}
