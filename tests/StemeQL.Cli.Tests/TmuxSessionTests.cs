using System.Diagnostics;

namespace StemeQL.Cli.Tests;

/// <summary>A fact that runs only where tmux is installed (the end-to-end terminal session needs it).</summary>
public sealed class TmuxFactAttribute : FactAttribute
{
    public TmuxFactAttribute()
    {
        if (!TmuxSessionTests.TmuxInstalled) Skip = "tmux is not installed (apt-get install tmux)";
    }
}

/// <summary>
/// The built steme in a real terminal (a detached tmux session), driven by key presses as a person would:
/// the line editor, Ctrl+C, history recall, commands mid-statement and Ctrl+D.
/// </summary>
public sealed class TmuxSessionTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TempFolder _home = new();
    private readonly string _session = "steme-test-" + Guid.NewGuid().ToString("N")[..8];

    public static bool TmuxInstalled { get; } =
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, "tmux")));

    public void Dispose()
    {
        Tmux("kill-session", "-t", _session);
        _folder.Dispose();
        _home.Dispose();
    }

    [TmuxFact]
    public void Shell_in_a_terminal_keeps_psql_and_sqlite3_habits()
    {
        Directory.CreateDirectory(_home.Path);
        string steme = Path.Combine(AppContext.BaseDirectory, "steme.dll");
        Tmux("new-session", "-d", "-s", _session, "-x", "120", "-y", "200",
            $"HOME='{_home.Path}' dotnet '{steme}' --agent alice '{_folder.Path}'; echo \"EXITED $?\"; sleep 120");
        WaitFor("steme> ");

        Type("ASSERT ('a', 'p', 1), ('b', 'p', 2);");
        WaitFor("(2 rows)");
        // Type at the next prompt, as a person would: keys sent while the statement still ran
        // never reached the screen in a run on a busy machine.
        WaitFor("steme>", occurrences: 2);

        // Ctrl+C discards the statement being typed and leaves the shell running.
        Type("ASSERT ('never', 'p', 3)");
        Keys("C-c");
        WaitFor("^C\nsteme> ");

        // A command mid-statement runs, and the statement goes on.
        Type("SELECT subject, object");
        Type("\\d votes");
        WaitFor("Relation \"votes\"");
        Type("FROM assertions;");
        WaitFor("b       |      2\n(2 rows)");

        // Up recalls the whole two-line statement, and it runs again.
        Keys("Up");
        WaitFor("steme> SELECT subject, object FROM assertions;");
        Keys("Enter");
        WaitFor("(2 rows)", occurrences: 3);

        // \watch repeats the last statement until Ctrl+C, which ends the watch and not the shell.
        Type("\\watch 0.2");
        WaitFor("Ctrl+C stops)", occurrences: 2);
        Keys("C-c");
        Type(".agent");
        WaitFor("\nalice\n");

        Type(".mode json");
        Type("SELECT count(*) AS n FROM assertions;");
        WaitFor("[\n{\"n\":2}\n]");

        // Ctrl+D on an empty line quits; the history file holds the statement as one entry.
        Keys("C-d");
        WaitFor("EXITED 0");
        Assert.Contains("SELECT subject, object\\nFROM assertions;", File.ReadAllLines(Path.Combine(_home.Path, ".steme_history")));
    }

    private void Type(string line)
    {
        // tmux reads an argument ending in ; as the end of its own command: escape it.
        Tmux("send-keys", "-t", _session, "-l", line.EndsWith(';') ? line[..^1] + "\\;" : line);
        Keys("Enter");
    }

    private void Keys(string keys) => Tmux("send-keys", "-t", _session, keys);

    /// <summary>Waits (up to 30 s, as the machine may be busy) until the screen shows <paramref name="text"/>.</summary>
    private void WaitFor(string text, int occurrences = 1)
    {
        var clock = Stopwatch.StartNew();
        string screen = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            // Trailing spaces differ by terminal; compare lines without them.
            screen = string.Join("\n", Tmux("capture-pane", "-p", "-t", _session).Split('\n').Select(l => l.TrimEnd()));
            if (screen.Split(text.TrimEnd()).Length > occurrences) return;
            Thread.Sleep(100);
        }
        Assert.Fail($"The screen never showed \"{text}\" {occurrences} time(s). It shows:\n{screen}");
    }

    private static string Tmux(params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
