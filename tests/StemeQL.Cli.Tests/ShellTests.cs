namespace StemeQL.Cli.Tests;

public sealed class ShellTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Command_runs_an_ASSERT_and_a_SELECT_and_prints_tables()
    {
        var (code, output, error) = Steme.Run(
            "--agent", "alice",
            "-c", "ASSERT ('paris', 'capital_of', 'france'); SELECT subject, predicate, object, agent FROM assertions;",
            _folder.Path);

        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains("hash", output);
        Assert.Contains("created", output);
        Assert.Contains(
            """
            subject | predicate  | object | agent
            --------+------------+--------+------
            paris   | capital_of | france | alice
            (1 row)
            """.ReplaceLineEndings("\n"), output);
        Assert.DoesNotContain("Time:", output);
    }

    [Fact]
    public void Command_shows_times_with_timer()
    {
        var (code, output, _) = Steme.Run("--timer", "-c", "SELECT subject FROM assertions;", _folder.Path);
        Assert.Equal(0, code);
        Assert.Matches(@"\(0 rows\)\nTime: \d+\.\d{3} ms\n", output);
    }

    [Fact]
    public void Syntax_error_exits_1_and_prints_code_position_and_caret()
    {
        var (code, _, error) = Steme.Run("-c", "ASSERT paris", _folder.Path);
        Assert.Equal(1, code);
        var lines = error.Split('\n');
        Assert.StartsWith("error [SyntaxError] line 1:7 ", lines[0]);
        Assert.Equal("  ASSERT paris", lines[1]);
        Assert.Equal("         ^", lines[2]);
    }

    [Fact]
    public void Script_error_positions_count_from_the_start_of_the_script_and_stop_it()
    {
        var (code, output, error) = Steme.Run(
            "-c", "ASSERT ('a', 'p', 'o');\n-- next one is wrong\nSELECT FROM assertions;\nASSERT ('b', 'p', 'o');",
            _folder.Path);
        Assert.Equal(1, code);
        Assert.StartsWith("error [SyntaxError] line 3:7 ", error);
        Assert.Contains("  SELECT FROM assertions;\n         ^", error);

        Assert.Contains("created", output); // the first statement ran and printed its row...
        Assert.Contains("(1 row)", Steme.Run("-c", "SELECT subject FROM assertions WHERE subject = 'a';", _folder.Path).Out);
        Assert.Contains("(0 rows)", Steme.Run("-c", "SELECT subject FROM assertions WHERE subject = 'b';", _folder.Path).Out); // ...the last did not
    }

    [Fact]
    public void Other_errors_print_their_code()
    {
        var (code, _, error) = Steme.Run("-c", "SELECT object FROM assertions USING LENS wisdom;", _folder.Path);
        Assert.Equal(1, code);
        Assert.StartsWith("error [UnknownLens] ", error);
    }

    [Fact]
    public void Missing_script_file_exits_1()
    {
        var (code, _, error) = Steme.Run("-f", Path.Combine(_folder.Path, "nope.stql"), _folder.Path);
        Assert.Equal(1, code);
        Assert.StartsWith("error: cannot read script", error);
    }

    [Fact]
    public void Shell_runs_multi_line_statements_and_continues_after_an_error()
    {
        string input = """
            ASSERT ('paris',
              'capital_of', 'france');
            ASSERT paris;
            .timer off
            SELECT subject, object
            FROM assertions; -- done
            .agent
            .quit
            SELECT 'never';
            """;
        using var connection = Open("alice");
        var output = new StringWriter();
        var error = new StringWriter();
        var shell = new Shell(connection, new StringReader(input), output, error, new ShellSettings { ShowPrompts = true, Timer = true });

        int code = shell.Run();

        string printed = output.ToString().ReplaceLineEndings("\n");
        Assert.Equal(1, code);
        Assert.True(shell.QuitRequested);
        Assert.StartsWith("steme> ", printed);
        Assert.Contains("   ...> ", printed);
        Assert.Contains("Time: ", printed); // the ASSERT ran with the timer on
        Assert.Contains("subject | object\n--------+-------\nparis   | france\n(1 row)\n\n", printed);
        Assert.Contains("alice\n", printed);
        Assert.DoesNotContain("never", printed);
        Assert.StartsWith("error [SyntaxError] line 1:7 ", error.ToString());
    }

    [Fact]
    public void Piped_input_runs_without_prompts_and_reports_failures_in_the_exit_code()
    {
        var (code, output, error) = Steme.RunWithInput("ASSERT ('x', 'p', 'o');\nSELECT FROM assertions;\nSELECT subject FROM assertions;\n", _folder.Path);
        Assert.Equal(1, code);
        Assert.DoesNotContain("steme>", output);
        Assert.Contains("x\n(1 row)", output);
        Assert.StartsWith("error [SyntaxError] line 2:7 ", error);
    }

    [Fact]
    public void Unknown_dot_command_is_an_error_and_tables_and_lenses_list_things()
    {
        var (code, output, error) = Steme.RunWithInput(".tables\n.lenses\n.bogus\n", _folder.Path);
        Assert.Equal(1, code);
        Assert.Contains("assertions", output);
        Assert.Contains("votes", output);
        Assert.Contains("consensus", output);
        Assert.Contains("planned", output);
        Assert.Contains("unknown command .bogus", error);
    }

    [Fact]
    public void Dot_timer_turns_the_timer_on_in_a_script()
    {
        var (code, output, _) = Steme.Run("-c", ".timer on\nSELECT subject FROM assertions;\n.timer off\nSELECT subject FROM assertions;", _folder.Path);
        Assert.Equal(0, code);
        Assert.Equal(2, output.Split("Time: ").Length);
    }

    [Fact]
    public void Quickstart_example_runs_cleanly()
    {
        string script = Path.Combine(Steme.RepoRoot(), "examples", "quickstart.stql");
        var (code, output, error) = Steme.Run("-f", script, _folder.Path);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains("MaterializedViewLookup", output);
    }

    private StemeConnection Open(string agent)
    {
        var connection = new StemeConnection(new StemeConnectionStringBuilder { DataSource = _folder.Path, Agent = agent }.ConnectionString);
        connection.Open();
        return connection;
    }
}
