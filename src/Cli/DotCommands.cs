namespace StemeQL.Cli;

/// <summary>What the shell does after a dot-command.</summary>
internal enum DotResult
{
    Continue,
    Quit,
    Failed,
}

/// <summary>The shell's own commands: lines starting with <c>.</c> typed at the start of a statement.</summary>
internal sealed class DotCommands(StatementExecutor executor, TextWriter output, TextWriter error)
{
    public const string Help = """
        .agent            show the agent this session writes as
        .exit, .quit      leave the shell
        .help             show this help
        .lenses           list the lenses USING LENS accepts
        .tables           list the relations and their columns
        .timer on|off     show how long each statement takes

        End a statement with ; to run it; it may span several lines.
        Example: SELECT * FROM assertions USING LENS consensus WHERE subject = 'paris';
        """;

    private const string Tables = """
        assertions  hash, subject, predicate, object, object_type, epoch, agent, asserted_at, lsn, confidence, support, candidates
        votes       assertion, agent, weight, voted_at, lsn
        """;

    private const string Lenses = """
        consensus    materialized  the value with the greatest total support
        recency      materialized  the most recent assertion (last writer wins)
        authority    planned       consensus weighted by each agent's learned reputation
        skeptic      planned       the consensus winner plus conflict metrics
        epoch_aware  planned       the consensus winner within an epoch
        constraints  planned       the must_use / forbidden assertions for a context
        """;

    /// <summary>Runs one dot-command line, e.g. <c>.timer on</c>.</summary>
    public DotResult Execute(string line)
    {
        var words = line.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        string name = words.Length > 0 ? words[0].ToLowerInvariant() : ".";
        var args = words.Skip(1).ToArray();
        switch (name)
        {
            case ".quit" or ".exit" or ".q":
                return DotResult.Quit;
            case ".help":
                output.WriteLine(Help);
                return DotResult.Continue;
            case ".tables":
                output.WriteLine(Tables);
                return DotResult.Continue;
            case ".lenses":
                output.WriteLine(Lenses);
                return DotResult.Continue;
            case ".agent":
                output.WriteLine(executor.Connection.Agent);
                return DotResult.Continue;
            case ".timer":
                return Timer(args);
            default:
                error.WriteLine($"error: unknown command {name}: try .help");
                return DotResult.Failed;
        }
    }

    private DotResult Timer(string[] args)
    {
        switch (args.Length == 1 ? args[0].ToLowerInvariant() : args.Length == 0 ? "" : "?")
        {
            case "on":
                executor.Timer = true;
                break;
            case "off":
                executor.Timer = false;
                break;
            case "":
                output.WriteLine(executor.Timer ? "Timer is on." : "Timer is off.");
                break;
            default:
                error.WriteLine("error: usage: .timer on|off");
                return DotResult.Failed;
        }
        return DotResult.Continue;
    }
}
