using System.Text;

namespace StemeQL.Cli;

/// <summary>How a <see cref="Shell"/> behaves.</summary>
internal sealed record ShellSettings
{
    /// <summary>Show prompts and count error lines per statement (a person is typing).</summary>
    public bool ShowPrompts { get; init; }

    /// <summary>Stop at the first failing statement or command (scripts).</summary>
    public bool StopOnError { get; init; }

    /// <summary>Print <c>Time: n ms</c> after each statement at start (<c>.timer</c> changes it).</summary>
    public bool Timer { get; init; }
}

/// <summary>
/// The read-run-print loop: gathers lines until a statement ends with <c>;</c>, runs it and prints
/// the results, handles meta-commands (<c>.tables</c>, <c>\d</c>) on any line, and goes on after
/// errors unless told to stop. Ctrl+C discards the statement being typed; end of input quits.
/// </summary>
internal sealed class Shell
{
    public const string Prompt = "steme> ";
    public const string ContinuationPrompt = "   ...> ";

    /// <summary>How deeply <c>.read</c> files may read further files (a file reading itself stops here).</summary>
    private const int MaxReadDepth = 16;

    private readonly ILineReader _input;
    private readonly ShellSettings _settings;
    private readonly HistoryFile? _history;
    private readonly MetaCommands _metaCommands;
    private readonly int _depth;
    private readonly StringBuilder _buffer = new();
    private string? _lastStatement;

    /// <summary>A shell with its own executor, set up from <paramref name="settings"/>.</summary>
    public Shell(StemeConnection connection, ILineReader input, TextWriter output, TextWriter error, ShellSettings settings, HistoryFile? history = null)
        : this(new StatementExecutor(connection, output, error) { Timer = settings.Timer }, input, settings, history) { }

    /// <summary>A shell reading <paramref name="input"/>, with prompts written to <paramref name="output"/> if the settings show them.</summary>
    public Shell(StemeConnection connection, TextReader input, TextWriter output, TextWriter error, ShellSettings settings, HistoryFile? history = null)
        : this(connection, new TextLineReader(input, settings.ShowPrompts ? output : null), output, error, settings, history) { }

    /// <summary>A shell on an existing executor, so its output mode and timer carry over from (and back to) the caller.</summary>
    public Shell(StatementExecutor executor, ILineReader input, ShellSettings settings, HistoryFile? history = null)
        : this(executor, input, settings, history, depth: 0) { }

    private Shell(StatementExecutor executor, ILineReader input, ShellSettings settings, HistoryFile? history, int depth)
    {
        _input = input;
        _settings = settings;
        _history = history;
        _depth = depth;
        Executor = executor;
        _metaCommands = new MetaCommands(Executor, ReadFile, Watch);
    }

    /// <summary>Runs statements; also lets Ctrl+C cancel the one in progress.</summary>
    public StatementExecutor Executor { get; }

    /// <summary>True once <c>.quit</c> or <c>\q</c> ended the input early.</summary>
    public bool QuitRequested { get; private set; }

    /// <summary>Reads and runs until the input ends or <c>.quit</c>.</summary>
    /// <returns>0 when everything succeeded, 1 when something failed.</returns>
    public int Run()
    {
        var buffer = _buffer;
        buffer.Clear();
        int lineNumber = 0, bufferStart = 1;
        bool failed = false;

        while (true)
        {
            var input = _input.ReadLine(buffer.Length == 0 ? Prompt : ContinuationPrompt);
            if (input.Interrupted)
            {
                buffer.Clear(); // Ctrl+C discards the statement being typed, as in psql
                continue;
            }
            if (input.Text is not { } line) break;
            int firstLine = lineNumber + 1;
            lineNumber += 1 + line.Count(c => c == '\n'); // a recalled history entry may hold several lines

            if (MetaCommands.IsMetaCommand(line, buffer.ToString()))
            {
                _history?.Add(line);
                switch (RunMetaCommand(line))
                {
                    case MetaResult.Quit:
                        // As in psql, \q mid-statement leaves without running the unfinished statement.
                        QuitRequested = true;
                        return failed ? 1 : 0;
                    case MetaResult.ResetBuffer:
                        buffer.Clear();
                        break;
                    case MetaResult.Failed when Fail(ref failed):
                        return 1;
                }
                continue;
            }

            if (buffer.Length == 0) bufferStart = firstLine;
            buffer.Append(line).Append('\n');
            string text = buffer.ToString();
            if (StatementSplitter.IsBlank(text))
                buffer.Clear(); // only comments so far: back to the main prompt
            else if (StatementSplitter.IsComplete(text))
            {
                buffer.Clear();
                _history?.Add(text); // the whole statement is one entry, however many lines it took
                _lastStatement = text;
                if (!Execute(text, bufferStart) && Fail(ref failed)) return 1;
            }
        }

        // Input ended mid-statement (no closing ;). A script runs what there is, as psql -f does; at the prompt
        // Ctrl+D leaves without running it, as psql does.
        string rest = buffer.ToString();
        if (!_settings.ShowPrompts && !StatementSplitter.IsBlank(rest))
        {
            _history?.Add(rest);
            if (!Execute(rest, bufferStart)) failed = true;
        }
        return failed ? 1 : 0;
    }

    private MetaResult RunMetaCommand(string line)
    {
        try
        {
            return _metaCommands.Execute(line);
        }
        catch (Exception e) when (e is StemeException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            Executor.Error.WriteLine(ErrorReporter.Describe(e));
            return MetaResult.Failed;
        }
    }

    /// <summary><c>.read FILE</c>: runs the file like a script (stopping at its first error) on this shell's executor.</summary>
    private bool ReadFile(string path)
    {
        if (_depth >= MaxReadDepth)
        {
            Executor.Error.WriteLine($"error: .read is nested more than {MaxReadDepth} deep (does '{path}' read itself?)");
            return false;
        }
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Executor.Error.WriteLine($"error: cannot read script '{path}': {e.Message}");
            return false;
        }
        // A .quit in the file ends that file only, not the shell that read it.
        var script = new Shell(Executor, new TextLineReader(new StringReader(text)), new ShellSettings { StopOnError = true }, history: null, _depth + 1);
        return script.Run() == 0;
    }

    /// <summary><c>\watch</c>: the statement being typed, or else the last one run, again every <paramref name="interval"/>.</summary>
    private bool Watch(TimeSpan interval)
    {
        string? text = StatementSplitter.IsBlank(_buffer.ToString()) ? _lastStatement : _buffer.ToString();
        if (text is null)
        {
            Executor.Error.WriteLine("error: \\watch needs a statement: type one without its ; and then \\watch, or run one first");
            return false;
        }
        _lastStatement = text;
        return Executor.Watch(text, interval);
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
