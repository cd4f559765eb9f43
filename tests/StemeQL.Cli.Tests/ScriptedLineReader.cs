namespace StemeQL.Cli.Tests;

/// <summary>Feeds a shell the lines and key presses a person would type; <see cref="CtrlC"/> stands for Ctrl+C.</summary>
internal sealed class ScriptedLineReader(params string?[] lines) : ILineReader
{
    /// <summary>Put this in the script to press Ctrl+C at that prompt.</summary>
    public const string CtrlC = "\u0003";

    private int _next;

    /// <summary>The prompt shown for each line read, in order.</summary>
    public List<string> Prompts { get; } = [];

    public InputLine ReadLine(string prompt)
    {
        Prompts.Add(prompt);
        if (_next >= lines.Length) return InputLine.EndOfInput;
        string? line = lines[_next++];
        return line == CtrlC ? InputLine.Interrupt : line;
    }
}

/// <summary>A shell over a scripted reader with captured output, as a person at the prompt would see it.</summary>
internal sealed class ShellSession : IDisposable
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public ShellSession(string folder, params string?[] lines)
    {
        Connection = new StemeConnection(new StemeConnectionStringBuilder { DataSource = folder, Agent = "alice" }.ConnectionString);
        Connection.Open();
        Input = new ScriptedLineReader(lines);
        History = new HistoryFile(null);
        Shell = new Shell(Connection, Input, _output, _error, new ShellSettings { ShowPrompts = true }, History);
    }

    public StemeConnection Connection { get; }

    public ScriptedLineReader Input { get; }

    public HistoryFile History { get; }

    public Shell Shell { get; }

    public string Out => _output.ToString().ReplaceLineEndings("\n");

    public string Err => _error.ToString().ReplaceLineEndings("\n");

    public int Run() => Shell.Run();

    public void Dispose() => Connection.Dispose();
}
