namespace StemeQL.Cli;

/// <summary>What the shell does after a meta-command.</summary>
internal enum MetaResult
{
    Continue,
    Quit,
    Failed,

    /// <summary><c>\r</c>: discard the statement being typed.</summary>
    ResetBuffer,
}

/// <summary>
/// The shell's own commands, in sqlite3's dot form (<c>.tables</c>) and psql's backslash form (<c>\d</c>).
/// Each takes a line of its own and needs no <c>;</c>; see <see cref="IsMetaCommand"/> for where they are recognised.
/// </summary>
/// <param name="executor">Runs the statements and holds the output settings the commands change.</param>
/// <param name="readFile">Runs a script file in this shell (<c>.read</c>, <c>\i</c>); false when it failed.</param>
/// <param name="watch">Runs the statement being typed, or else the last one, again and again (<c>\watch</c>); false when it failed.</param>
internal sealed class MetaCommands(StatementExecutor executor, Func<string, bool> readFile, Func<TimeSpan, bool> watch)
{
    public const string Help = """
        sqlite3-style commands
          .agent              show the agent this session writes as
          .exit, .quit        leave the shell (also Ctrl+D on an empty line)
          .help               show this help
          .lenses             list the lenses USING LENS accepts
          .mode [MODE]        show or set the output mode: table, csv, json, line
          .read FILE          run the statements and commands in FILE
          .schema [RELATION]  show the columns and types of a relation (or of all)
          .tables             list the relations
          .timer [on|off]     show how long each statement takes

        psql-style commands
          \q                  leave the shell
          \?                  show this help
          \d [RELATION]       list the relations, or show a relation's columns and types
          \i FILE             run the statements and commands in FILE
          \r                  discard the statement being typed
          \timing [on|off]    toggle (or set) showing how long each statement takes
          \watch [SECONDS]    run the statement being typed (or else the last one) every SECONDS (2) until Ctrl+C
          \x [on|off]         toggle (or set) expanded output: one "column | value" line per column

        End a statement with ; to run it; it may span several lines. Ctrl+C clears the line being typed,
        or stops the statement that is running. Commands work on any line, even mid-statement.
        Example: SELECT * FROM assertions USING LENS consensus WHERE subject = 'paris';
        """;

    /// <summary>The relations a query can read, with what each holds.</summary>
    public static readonly IReadOnlyList<(string Name, string About)> Relations =
    [
        ("assertions", "every assertion, or one row per subject and predicate through a lens"),
        ("votes", "every vote on an assertion"),
        ("agents", "one row per agent that wrote: its assertions, votes, first and last LSN"),
        ("stemeql_status", "one row: how far the write path has got"),
        ("stemeql_check", "one row per problem an integrity check finds (reading it runs the check)"),
    ];

    private const string Lenses = """
        consensus    materialized  the value with the greatest total support
        recency      materialized  the most recent assertion (last writer wins)
        authority    planned       consensus weighted by each agent's learned reputation
        skeptic      planned       the consensus winner plus conflict metrics
        epoch_aware  planned       the consensus winner within an epoch
        constraints  planned       the must_use / forbidden assertions for a context
        """;

    private static readonly HashSet<string> DotNames =
        [".agent", ".exit", ".quit", ".q", ".help", ".lenses", ".mode", ".read", ".schema", ".tables", ".timer"];

    private TextWriter Output => executor.Output;

    private TextWriter Error => executor.Error;

    /// <summary>
    /// True when <paramref name="line"/> is a command rather than statement text. At the start of a statement
    /// any line starting with <c>.</c> or <c>\</c> is one. Inside a statement, a <c>\</c> line is one and so is
    /// a known dot-command (so a continuation line such as <c>.5);</c> stays part of the statement), unless the
    /// statement so far ends inside a string, quoted name or block comment.
    /// </summary>
    public static bool IsMetaCommand(string line, string statementSoFar)
    {
        string trimmed = line.TrimStart();
        if (!trimmed.StartsWith('.') && !trimmed.StartsWith('\\')) return false;
        if (statementSoFar.Length == 0) return true;
        if (StatementSplitter.Split(statementSoFar) is { Count: > 0 } segments && segments[^1].Unclosed) return false;
        return trimmed.StartsWith('\\') || DotNames.Contains(Name(trimmed));
    }

    /// <summary>Runs one command line, e.g. <c>.timer on</c> or <c>\d votes</c>.</summary>
    public MetaResult Execute(string line)
    {
        string trimmed = line.Trim();
        string name = Name(trimmed);
        string argument = trimmed[name.Length..].Trim();
        var args = argument.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        switch (name)
        {
            case ".quit" or ".exit" or ".q" or "\\q":
                return MetaResult.Quit;
            case ".help" or "\\?" or "\\h" or "\\help":
                Output.WriteLine(Help);
                return MetaResult.Continue;
            case ".tables":
                Output.WriteLine(string.Join("  ", Relations.Select(r => r.Name)));
                return MetaResult.Continue;
            case ".lenses":
                Output.WriteLine(Lenses);
                return MetaResult.Continue;
            case ".agent":
                Output.WriteLine(executor.Connection.Agent);
                return MetaResult.Continue;
            case ".schema":
                return Describe(args.Length == 0 ? Relations.Select(r => r.Name).ToArray() : args);
            case "\\d" or "\\dt" or "\\d+":
                return args.Length == 0 ? ListRelations() : Describe(args);
            case ".timer":
                return Switch(args, ".timer", on => executor.Timer = on, () => executor.Timer, "Timer", toggles: false);
            case "\\timing":
                return Switch(args, "\\timing", on => executor.Timer = on, () => executor.Timer, "Timing", toggles: true);
            case "\\x":
                return Switch(args, "\\x", on => executor.Printer.Expanded = on, () => executor.Printer.Expanded, "Expanded display", toggles: true);
            case ".mode":
                return Mode(args);
            case ".read" or "\\i" or "\\include":
                if (argument.Length == 0) return Usage($"{name} FILE");
                return readFile(Unquote(argument)) ? MetaResult.Continue : MetaResult.Failed;
            case "\\watch":
                return Watch(args);
            case "\\r" or "\\reset":
                Output.WriteLine("Query buffer reset (cleared).");
                return MetaResult.ResetBuffer;
            default:
                Error.WriteLine($"error: unknown command {name}: try .help or \\?");
                return MetaResult.Failed;
        }
    }

    /// <summary>The command's name: up to the first space, or two characters for psql's <c>\?</c> and the like.</summary>
    private static string Name(string trimmed)
    {
        int end = trimmed.IndexOfAny([' ', '\t']);
        string word = (end < 0 ? trimmed : trimmed[..end]).ToLowerInvariant();
        // psql reads "\dvotes" as "\d votes"; only the letters after the backslash name the command.
        if (word.StartsWith('\\') && word.Length > 2 && !char.IsLetter(word[1])) return word[..2];
        return word;
    }

    private MetaResult ListRelations()
    {
        ResultFormatter.WriteTable(Output, ["name", "holds"], Relations.Select(r => new object?[] { r.Name, r.About }).ToList());
        return MetaResult.Continue;
    }

    /// <summary>Each relation's columns and types, read from the metadata of an empty result.</summary>
    private MetaResult Describe(IEnumerable<string> relations)
    {
        foreach (string relation in relations)
        {
            if (!Relations.Any(r => r.Name.Equals(relation, StringComparison.OrdinalIgnoreCase)))
            {
                Error.WriteLine($"error: no relation named '{relation}': the relations are {string.Join(", ", Relations.Select(r => r.Name))}");
                return MetaResult.Failed;
            }
            List<object?[]> columns;
            try
            {
                columns = Columns(relation.ToLowerInvariant());
            }
            catch (StemeException e)
            {
                Error.WriteLine(ErrorReporter.Describe(e));
                return MetaResult.Failed;
            }
            Output.WriteLine($"Relation \"{relation.ToLowerInvariant()}\"");
            ResultFormatter.WriteTable(Output, ["column", "type"], columns);
            Output.WriteLine();
        }
        return MetaResult.Continue;
    }

    private List<object?[]> Columns(string relation)
    {
        using var command = executor.Connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {relation} LIMIT 0";
        using var reader = command.ExecuteReader();
        return Enumerable.Range(0, reader.FieldCount).Select(i => new object?[] { reader.GetName(i), reader.GetDataTypeName(i) }).ToList();
    }

    private MetaResult Watch(string[] args)
    {
        double seconds = 2;
        if (args.Length > 1 || (args.Length == 1 && (!double.TryParse(args[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out seconds) || seconds <= 0 || seconds > 86_400)))
            return Usage("\\watch [SECONDS] (more than 0)");
        // As in psql, the statement being typed is sent (and so leaves the buffer).
        return watch(TimeSpan.FromSeconds(seconds)) ? MetaResult.ResetBuffer : MetaResult.Failed;
    }

    private MetaResult Mode(string[] args)
    {
        if (args.Length == 0)
        {
            Output.WriteLine($"current output mode: {OutputModes.Name(executor.Printer.Mode)}");
            return MetaResult.Continue;
        }
        if (args.Length > 1 || !OutputModes.TryParse(args[0], out var mode))
            return Usage($".mode {OutputModes.Names.Replace(", ", "|", StringComparison.Ordinal)}");
        executor.Printer.Mode = mode;
        return MetaResult.Continue;
    }

    /// <summary>An on/off setting: no argument shows it (sqlite3) or toggles it (psql).</summary>
    private MetaResult Switch(string[] args, string name, Action<bool> set, Func<bool> get, string label, bool toggles)
    {
        if (args.Length > 1 || (args.Length == 1 && args[0].ToLowerInvariant() is not ("on" or "off")))
            return Usage($"{name} [on|off]");
        bool? value = args.Length == 1 ? args[0].Equals("on", StringComparison.OrdinalIgnoreCase) : toggles ? !get() : null;
        if (value is { } on) set(on);
        Output.WriteLine($"{label} is {(get() ? "on" : "off")}.");
        return MetaResult.Continue;
    }

    private MetaResult Usage(string usage)
    {
        Error.WriteLine($"error: usage: {usage}");
        return MetaResult.Failed;
    }

    private static string Unquote(string text) =>
        text.Length >= 2 && text[0] == text[^1] && text[0] is '\'' or '"' ? text[1..^1] : text;
}
