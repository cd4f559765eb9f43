namespace StemeQL.Cli.Tests;

/// <summary>What a person at the prompt expects from psql and sqlite3: Ctrl+C, Ctrl+D, commands mid-statement, history.</summary>
public sealed class InteractiveHabitsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void CtrlC_discards_the_statement_being_typed_and_the_shell_goes_on()
    {
        using var session = new ShellSession(_folder.Path,
            "ASSERT ('never', 'p',",
            ScriptedLineReader.CtrlC,
            "SELECT count(*) AS n FROM assertions;");

        Assert.Equal(0, session.Run());

        Assert.False(session.Shell.QuitRequested);
        Assert.Equal([Shell.Prompt, Shell.ContinuationPrompt, Shell.Prompt, Shell.Prompt], session.Input.Prompts);
        Assert.Contains("n\n-\n0\n(1 row)", session.Out);
        Assert.Equal("", session.Err);
    }

    [Fact]
    public void End_of_input_quits_with_success()
    {
        using var session = new ShellSession(_folder.Path, "SELECT subject FROM assertions;");
        Assert.Equal(0, session.Run());
        Assert.Equal(2, session.Input.Prompts.Count); // the second read got end of input (Ctrl+D) and ended the loop
    }

    [Fact]
    public void CtrlD_mid_statement_leaves_without_running_it()
    {
        using var session = new ShellSession(_folder.Path, "ASSERT ('x', 'p', 'o')");
        Assert.Equal(0, session.Run());
        Assert.DoesNotContain("created", session.Out);
        Assert.Equal(0L, Count(session.Connection));
    }

    [Fact]
    public void Cancel_stops_a_running_statement_and_the_shell_goes_on()
    {
        using var session = new ShellSession(_folder.Path,
            "ASSERT ('a', 'p', 1), ('b', 'p', 2), ('c', 'p', 3), ('d', 'p', 4);",
            ".mode csv",
            "SELECT subject FROM assertions;", // no ORDER BY: rows stream from the scan, which checks for cancellation
            "SELECT count(*) AS n FROM assertions;");
        int printed = 0;
        session.Shell.Executor.Printer.RowPrinted = () =>
        {
            // Ctrl+C while the SELECT streams its rows: the handler calls this, as CancelKeyHandler does.
            if (++printed == 1 && session.Shell.Executor.Printer.Mode == OutputMode.Csv) Assert.True(session.Shell.Executor.CancelRunning());
        };

        session.Run();

        Assert.Contains("cancelled: the statement was stopped (Ctrl+C)", session.Err);
        Assert.Contains("subject\na\n", session.Out); // (Out reads CRLF as \n)
        Assert.DoesNotContain("\nb\n", session.Out);
        Assert.Contains("n\n4\n", session.Out); // the next statement ran
        Assert.False(session.Shell.Executor.CancelRunning()); // nothing runs now
    }

    [Fact]
    public void Backslash_q_on_a_continuation_line_quits_without_running_the_statement()
    {
        using var session = new ShellSession(_folder.Path, "ASSERT ('x', 'p', 'o')", "\\q", "SELECT 'never';");

        Assert.Equal(0, session.Run());

        Assert.True(session.Shell.QuitRequested);
        Assert.Equal(2, session.Input.Prompts.Count);
        Assert.DoesNotContain("created", session.Out);
        Assert.Equal(0L, Count(session.Connection));
    }

    [Fact]
    public void Dot_quit_on_a_continuation_line_quits_too()
    {
        using var session = new ShellSession(_folder.Path, "SELECT subject", "  .quit", "FROM assertions;");
        Assert.Equal(0, session.Run());
        Assert.True(session.Shell.QuitRequested);
        Assert.Equal(2, session.Input.Prompts.Count);
    }

    [Fact]
    public void A_command_mid_statement_runs_and_keeps_the_statement_being_typed()
    {
        using var session = new ShellSession(_folder.Path, "SELECT subject", "\\d", "FROM assertions;");

        Assert.Equal(0, session.Run());

        Assert.Equal([Shell.Prompt, Shell.ContinuationPrompt, Shell.ContinuationPrompt, Shell.Prompt], session.Input.Prompts);
        Assert.Contains("stemeql_status", session.Out); // \d listed the relations...
        Assert.Contains("subject\n-------\n(0 rows)", session.Out); // ...and the statement still ran
        Assert.Equal("", session.Err);
    }

    [Fact]
    public void Backslash_watch_reruns_the_statement_until_interrupted_and_the_shell_goes_on()
    {
        using var session = new ShellSession(_folder.Path,
            ".mode csv",
            "SELECT count(*) AS n",
            "  FROM assertions",
            "\\watch 0.01",
            "SELECT 'after' AS x;");
        int runs = 0;
        // Ctrl+C during the third run, as CancelKeyHandler does.
        session.Shell.Executor.Printer.RowPrinted = () =>
        {
            if (++runs == 3) Assert.True(session.Shell.Executor.Interrupt());
        };

        Assert.Equal(0, session.Run());

        Assert.Equal(3, session.Out.Split("(every 0.01 s; Ctrl+C stops)").Length - 1);
        Assert.Equal(3, session.Out.Split("n\n0\n").Length - 1);
        Assert.EndsWith("x\nafter\n", session.Out);
        Assert.False(session.Shell.Executor.Interrupt()); // nothing to stop any more
    }

    [Theory]
    [InlineData("\\watch", "\\watch needs a statement")]
    [InlineData("\\watch 0", "usage: \\watch [SECONDS]")]
    [InlineData("\\watch soon", "usage: \\watch [SECONDS]")]
    public void Backslash_watch_without_a_statement_or_with_a_bad_interval_is_an_error(string line, string message)
    {
        using var session = new ShellSession(_folder.Path, line);
        session.Run();
        Assert.Contains(message, session.Err);
    }

    [Fact]
    public void Backslash_r_discards_the_statement_being_typed()
    {
        using var session = new ShellSession(_folder.Path, "ASSERT ('x', 'p', 'o')", "\\r", "SELECT count(*) AS n FROM assertions;");
        Assert.Equal(0, session.Run());
        Assert.Contains("Query buffer reset", session.Out);
        Assert.Equal(0L, Count(session.Connection));
    }

    [Theory]
    [InlineData(".5);", "ASSERT ('x', 'p',\n", false)] // a continuation line that starts a number
    [InlineData(".quit", "SELECT 'it''s\n", false)] // inside a string
    [InlineData(".quit", "SELECT /* a\n", false)] // inside a block comment
    [InlineData(".quit", "SELECT subject\n", true)]
    [InlineData("\\d votes", "SELECT subject\n", true)]
    [InlineData(".whatever", "", true)] // at the start of a statement every dot line is a command (an unknown one is an error)
    [InlineData("SELECT 1;", "", false)]
    public void IsMetaCommand_recognises_commands_mid_statement_but_not_inside_text(string line, string statementSoFar, bool expected) =>
        Assert.Equal(expected, MetaCommands.IsMetaCommand(line, statementSoFar));

    [Fact]
    public void History_keeps_a_multi_line_statement_as_one_entry_and_commands_as_their_own()
    {
        using var session = new ShellSession(_folder.Path,
            "SELECT subject",
            "  FROM assertions",
            "\\x",
            " WHERE subject = 'x';",
            "half a statement",
            ScriptedLineReader.CtrlC);

        session.Run();

        Assert.Equal(["\\x", "SELECT subject\n  FROM assertions\n WHERE subject = 'x';"], session.History.Entries);
    }

    [Fact]
    public void A_recalled_multi_line_entry_runs_as_typed_and_errors_point_into_it()
    {
        using var session = new ShellSession(_folder.Path, "SELECT subject\n  FROM assertions\n WHERE;");
        session.Run();
        Assert.StartsWith("error [SyntaxError] line 3:", session.Err);
    }

    [Fact]
    public void History_file_round_trips_entries_with_line_breaks_and_backslashes()
    {
        string path = Path.Combine(Path.GetTempPath(), "steme-history-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var history = new HistoryFile(path);
            history.Add("SELECT subject\nFROM assertions\nWHERE subject = 'a\\nb';");
            history.Add("\\d votes");

            Assert.Equal(2, File.ReadAllLines(path).Length);
            Assert.Equal(history.Entries, new HistoryFile(path).Entries);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static long Count(StemeConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM assertions";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
