using System.Text;

namespace StemeQL.Cli;

/// <summary>How a <see cref="Shell"/> behaves.</summary>
internal sealed record ShellSettings
{
    /// <summary>Show prompts and count error lines per statement (a person is typing).</summary>
    public bool ShowPrompts { get; init; }

    /// <summary>Stop at the first failing statement or dot-command (scripts).</summary>
    public bool StopOnError { get; init; }

    /// <summary>Print <c>Time: n ms</c> after each statement at start (<c>.timer</c> changes it).</summary>
    public bool Timer { get; init; }
}

/// <summary>
/// The read-run-print loop: gathers lines until a statement ends with <c>;</c>, runs it and prints
/// the results, handles dot-commands, and goes on after errors unless told to stop.
/// </summary>
internal sealed class Shell
{
    public const string Prompt = "steme> ";
    public const string ContinuationPrompt = "   ...> ";

    private readonly ILineReader _input;
    private readonly ShellSettings _settings;
    private readonly HistoryFile? _history;
    private readonly DotCommands _dotCommands;

    public Shell(StemeConnection connection, ILineReader input, TextWriter output, TextWriter error, ShellSettings settings, HistoryFile? history = null)
    {
        _input = input;
        _settings = settings;
        _history = history;
        Executor = new StatementExecutor(connection, output, error) { Timer = settings.Timer };
        _dotCommands = new DotCommands(Executor, output, error);
    }

    /// <summary>A shell reading <paramref name="input"/>, with prompts written to <paramref name="output"/> if the settings show them.</summary>
    public Shell(StemeConnection connection, TextReader input, TextWriter output, TextWriter error, ShellSettings settings, HistoryFile? history = null)
        : this(connection, new TextLineReader(input, settings.ShowPrompts ? output : null), output, error, settings, history) { }

    /// <summary>Runs statements; also lets Ctrl+C cancel the one in progress.</summary>
    public StatementExecutor Executor { get; }

    /// <summary>True once <c>.quit</c> ended the input early.</summary>
    public bool QuitRequested { get; private set; }

    /// <summary>Reads and runs until the input ends or <c>.quit</c>.</summary>
    /// <returns>0 when everything succeeded, 1 when something failed.</returns>
    public int Run()
    {
        var buffer = new StringBuilder();
        int lineNumber = 0, bufferStart = 1;
        bool failed = false;

        while (true)
        {
            string? line = _input.ReadLine(buffer.Length == 0 ? Prompt : ContinuationPrompt);
            if (line is null) break;
            lineNumber++;
            _history?.Add(line);

            if (buffer.Length == 0 && line.TrimStart().StartsWith('.'))
            {
                var result = _dotCommands.Execute(line);
                if (result == DotResult.Quit)
                {
                    QuitRequested = true;
                    return failed ? 1 : 0;
                }
                if (result == DotResult.Failed && Fail(ref failed)) return 1;
                continue;
            }

            if (buffer.Length == 0) bufferStart = lineNumber;
            buffer.Append(line).Append('\n');
            string text = buffer.ToString();
            if (StatementSplitter.IsBlank(text))
                buffer.Clear(); // only comments so far: back to the main prompt
            else if (StatementSplitter.IsComplete(text))
            {
                buffer.Clear();
                if (!Execute(text, bufferStart) && Fail(ref failed)) return 1;
            }
        }

        // Input ended mid-statement (no closing ;): run what there is, as sqlite3 and psql -f do.
        string rest = buffer.ToString();
        if (!StatementSplitter.IsBlank(rest) && !Execute(rest, bufferStart))
            failed = true;
        return failed ? 1 : 0;
    }

    private bool Execute(string text, int firstLine) =>
        Executor.Run(text, _settings.ShowPrompts ? null : firstLine - 1);

    /// <summary>Records a failure; true when the shell should stop.</summary>
    private bool Fail(ref bool failed)
    {
        failed = true;
        return _settings.StopOnError;
    }
}
