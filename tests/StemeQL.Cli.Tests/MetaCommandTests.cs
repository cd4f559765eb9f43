namespace StemeQL.Cli.Tests;

public sealed class MetaCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Backslash_d_lists_the_relations_and_describes_a_relations_columns_and_types()
    {
        var (code, output, error) = Steme.Run("-c", "\\d\n\\d votes", _folder.Path);

        Assert.Equal("", error);
        Assert.Equal(0, code);
        foreach (var (name, _) in MetaCommands.Relations)
            Assert.Contains(name, output);
        Assert.Contains("Relation \"votes\"\ncolumn    | type\n----------+----------\nassertion | text\nagent     | text\nweight    | real\n", output);
    }

    [Fact]
    public void Dot_schema_describes_every_relation_and_dot_tables_names_them()
    {
        var (code, output, _) = Steme.Run("-c", ".tables\n.schema", _folder.Path);
        Assert.Equal(0, code);
        Assert.Contains("assertions  votes  agents  stemeql_status  stemeql_check\n", output);
        Assert.Contains("Relation \"assertions\"", output);
        Assert.Contains("object      | object", output);
        Assert.Contains("Relation \"stemeql_status\"", output);
        Assert.Contains("read_only        | boolean", output);
    }

    [Fact]
    public void Describing_an_unknown_relation_is_an_error_that_names_the_relations()
    {
        var (code, _, error) = Steme.Run("-c", "\\d nope", _folder.Path);
        Assert.Equal(1, code);
        Assert.Contains("no relation named 'nope': the relations are assertions, votes, agents, stemeql_status, stemeql_check", error);
    }

    [Fact]
    public void Backslash_timing_toggles_and_dot_timer_sets_the_timer()
    {
        var (_, output, _) = Steme.Run("-c", "\\timing\nSELECT subject FROM assertions;\n\\timing\nSELECT subject FROM assertions;\n.timer on\n.timer", _folder.Path);
        Assert.Contains("Timing is on.", output);
        Assert.Contains("Timing is off.", output);
        Assert.Contains("Timer is on.", output);
        Assert.Equal(2, output.Split("Time: ").Length);
    }

    [Fact]
    public void Help_lists_the_dot_and_backslash_commands()
    {
        var (_, dot, _) = Steme.Run("-c", ".help", _folder.Path);
        var (_, backslash, _) = Steme.Run("-c", "\\?", _folder.Path);
        Assert.Equal(dot, backslash);
        foreach (string command in new[] { ".agent", ".exit", ".quit", ".mode", ".read", ".schema", ".tables", ".timer", "\\q", "\\d", "\\timing", "\\x", "\\i", "\\r" })
            Assert.Contains(command, dot);
    }

    [Fact]
    public void Dot_read_runs_a_script_that_shares_the_output_mode_and_stops_at_its_first_error()
    {
        string script = Path.Combine(Path.GetTempPath(), "steme-read-" + Guid.NewGuid().ToString("N") + ".stql");
        try
        {
            File.WriteAllText(script, "ASSERT ('a', 'p', 1);\n.mode csv\nSELECT FROM assertions;\nASSERT ('b', 'p', 2);\n");
            var (code, output, error) = Steme.RunWithInput($".read {script}\nSELECT subject FROM assertions;\n", _folder.Path);

            Assert.Equal(1, code);
            Assert.StartsWith("error [SyntaxError] line 3:7 ", error);
            Assert.EndsWith("(1 row)\n\nsubject\na\n", output); // the mode set in the file carries on; 'b' was never written
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public void Dot_read_of_a_file_that_reads_itself_stops_and_of_a_missing_file_fails()
    {
        string script = Path.Combine(Path.GetTempPath(), "steme-read-" + Guid.NewGuid().ToString("N") + ".stql");
        try
        {
            File.WriteAllText(script, $"\\i {script}\n");
            var (code, _, error) = Steme.Run("-f", script, _folder.Path);
            Assert.Equal(1, code);
            Assert.Contains(".read is nested more than 16 deep", error);
        }
        finally
        {
            File.Delete(script);
        }
        var (missing, _, missingError) = Steme.Run("-c", ".read /no/such/file.stql", _folder.Path);
        Assert.Equal(1, missing);
        Assert.StartsWith("error: cannot read script '/no/such/file.stql'", missingError);
    }

    [Fact]
    public void Read_only_flag_refuses_writes_and_allows_reads()
    {
        Assert.Equal(0, Steme.Run("-c", "ASSERT ('a', 'p', 1);", _folder.Path).Code);

        var (code, _, error) = Steme.Run("--read-only", "-c", "ASSERT ('b', 'p', 2);", _folder.Path);
        Assert.Equal(1, code);
        Assert.StartsWith("error [ReadOnly] ", error);

        var status = Steme.Run("--read-only", "--csv", "-c", "SELECT read_only FROM stemeql_status; SELECT subject FROM assertions;", _folder.Path);
        Assert.Equal(0, status.Code);
        Assert.Equal("read_only\ntrue\nsubject\na\n", status.Out);
    }
}
