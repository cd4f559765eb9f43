using System.Globalization;

namespace StemeQL.Cli;

/// <summary>The parsed command line of <c>steme import</c>.</summary>
internal sealed class ImportOptions
{
    public const string Usage = """
        Usage: steme import FILE.jsonl [folder] [options]

        Loads assertions and votes from a JSON Lines file into the database in folder (created if
        missing; default ./stemedb), in file order, a batch at a time; each batch is written
        atomically. Each line is one of:
          {"subject": "paris", "predicate": "capital_of", "object": "france",
           "epoch": "modern", "confidence": 0.9, "derived_from": ["<hash>"]}
          {"vote": "<hash>", "weight": 0.5}
        "object" is a string, number, boolean or {"bytes": "<base64>"}; epoch, confidence,
        derived_from and weight are optional. Blank lines are skipped.

        Options:
          --agent NAME        the agent that writes (default: $STEME_AGENT, else anonymous)
          --batch-size N      lines per atomic write (default 8192)
          -h, --help          show this help and exit

        A malformed line stops the import with its line number and exit code 1: nothing of its
        batch is written; the batches before it stay.
        """;

    public string File { get; private set; } = "";

    public string Folder { get; private set; } = ShellOptions.DefaultFolder;

    public string Agent { get; private set; } = StemeConnectionStringBuilder.DefaultAgent;

    public int BatchSize { get; private set; } = StemeBulkLoader.DefaultBatchSize;

    public bool ShowHelp { get; private set; }

    /// <summary>The connection string for the folder and agent.</summary>
    public string ConnectionString =>
        new StemeConnectionStringBuilder { DataSource = Folder, Agent = Agent }.ConnectionString;

    /// <summary>Parses the arguments after <c>import</c>.</summary>
    /// <exception cref="ShellOptionsException">The arguments are not valid.</exception>
    public static ImportOptions Parse(IReadOnlyList<string> args, Func<string, string?>? environment = null)
    {
        var options = new ImportOptions();
        if (environment?.Invoke(ShellOptions.AgentVariable) is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment))
            options.Agent = fromEnvironment;

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
                case "--agent": options.Agent = Value(); break;
                case "--batch-size": options.BatchSize = ParseBatchSize(Value()); break;
                case "-h" or "--help" or "-?": options.ShowHelp = true; break;
                default: throw new ShellOptionsException($"unknown option '{arg}'");
            }
            if (inline is not null && name is not ("--agent" or "--batch-size"))
                throw new ShellOptionsException($"option {name} takes no value");
        }

        if (options.ShowHelp) return options;
        if (positional.Count == 0) throw new ShellOptionsException("import needs a file to read");
        if (positional.Count > 2) throw new ShellOptionsException($"import takes a file and a folder, got also '{positional[2]}'");
        options.File = positional[0];
        if (positional.Count == 2)
            options.Folder = string.IsNullOrWhiteSpace(positional[1]) ? throw new ShellOptionsException("the folder name cannot be empty") : positional[1];
        if (string.IsNullOrWhiteSpace(options.Agent))
            throw new ShellOptionsException("the agent name cannot be empty");
        return options;
    }

    private static int ParseBatchSize(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int size) && size >= 1
            ? size
            : throw new ShellOptionsException($"--batch-size needs a whole number of at least 1, not '{text}'");
}
