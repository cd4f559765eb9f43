namespace StemeQL.Cli.Tests;

public sealed class ShellOptionsTests
{
    private static ShellOptions Parse(params string[] args) => ShellOptions.Parse(args, _ => null);

    [Fact]
    public void Options_default_to_stemedb_anonymous_and_the_interactive_shell()
    {
        var options = Parse();
        Assert.Equal("./stemedb", options.Folder);
        Assert.Equal("anonymous", options.Agent);
        Assert.True(options.Interactive);
        Assert.Null(options.Timer);
    }

    [Fact]
    public void Options_read_folder_agent_and_scripts_in_order()
    {
        var options = Parse("--agent", "alice", "-c", "SELECT 1;", "mydb", "-f", "a.stql", "--command=X;", "--timer");
        Assert.Equal("mydb", options.Folder);
        Assert.Equal("alice", options.Agent);
        Assert.Equal([new ScriptSource(false, "SELECT 1;"), new ScriptSource(true, "a.stql"), new ScriptSource(false, "X;")], options.Scripts);
        Assert.False(options.Interactive);
        Assert.True(options.Timer);
    }

    [Fact]
    public void Options_take_the_agent_from_STEME_AGENT_unless_given()
    {
        Func<string, string?> environment = name => name == "STEME_AGENT" ? "bob" : null;
        Assert.Equal("bob", ShellOptions.Parse([], environment).Agent);
        Assert.Equal("carol", ShellOptions.Parse(["--agent=carol"], environment).Agent);
    }

    [Fact]
    public void Options_read_the_telemetry_exports()
    {
        var options = Parse("--otlp", "http://localhost:4318", "--prometheus=9464");
        Assert.Equal(new Uri("http://localhost:4318"), options.OtlpEndpoint);
        Assert.Equal(9464, options.PrometheusPort);
        Assert.Null(Parse().OtlpEndpoint);
        Assert.Null(Parse().PrometheusPort);
    }

    [Theory]
    [InlineData("--otlp", "localhost:4318")]
    [InlineData("--prometheus", "0")]
    [InlineData("--prometheus", "http")]
    public void Options_refuse_a_telemetry_export_they_cannot_use(string option, string value)
    {
        var error = Assert.Throws<ShellOptionsException>(() => Parse(option, value));
        Assert.Contains(option, error.Message);
    }

    [Fact]
    public void Options_build_the_connection_string()
    {
        var builder = new StemeConnectionStringBuilder(Parse("--agent", "o'neil; x", "/tmp/db").ConnectionString);
        Assert.Equal("/tmp/db", builder.DataSource);
        Assert.Equal("o'neil; x", builder.Agent);
    }

    [Fact]
    public void Options_open_a_connection_string_with_the_command_lines_agent_over_its_own()
    {
        const string pg = "Storage=postgres;Data Source='Host=db;Database=facts';Agent=zed";
        var options = Parse("--connection", pg, "--read-only");
        Assert.Null(options.Folder);
        var builder = new StemeConnectionStringBuilder(options.ConnectionString);
        Assert.Equal("postgres", builder.Storage);
        Assert.Equal("Host=db;Database=facts", builder.DataSource);
        Assert.Equal("zed", builder.Agent);
        Assert.True(builder.ReadOnly);

        Assert.Equal("amy", new StemeConnectionStringBuilder(Parse("--connection=" + pg, "--agent", "amy").ConnectionString).Agent);
        Func<string, string?> environment = name => name == "STEME_AGENT" ? "bob" : null;
        Assert.Equal("zed", new StemeConnectionStringBuilder(ShellOptions.Parse(["--connection", pg], environment).ConnectionString).Agent);
        Assert.Equal("bob", new StemeConnectionStringBuilder(ShellOptions.Parse(["--connection", "Data Source=/tmp/x"], environment).ConnectionString).Agent);
    }

    [Theory]
    [InlineData("not both", "db", "--connection", "Data Source=/tmp/x")]
    [InlineData("--connection: Unknown connection string keyword", "--connection", "Bogus=1")]
    [InlineData("needs a Data Source", "--connection", "Agent=a")]
    [InlineData("needs a value", "--connection")]
    public void Options_refuse_a_connection_string_they_cannot_use(string expected, params string[] args)
    {
        var error = Assert.Throws<ShellOptionsException>(() => Parse(args));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_accept_a_folder_starting_with_a_dash_after_double_dash()
    {
        Assert.Equal("-odd", Parse("--", "-odd").Folder);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("-x")]
    [InlineData("-c")]
    [InlineData("--agent")]
    [InlineData("--agent=")]
    [InlineData("--timer=yes")]
    [InlineData("one", "two")]
    public void Options_reject_bad_command_lines(params string[] args)
    {
        Assert.Throws<ShellOptionsException>(() => Parse(args));
    }

    [Fact]
    public void Unknown_option_exits_with_code_2_and_prints_usage()
    {
        var (code, output, error) = Steme.Run("--frobnicate");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("unknown option '--frobnicate'", error);
        Assert.Contains("Usage: steme [options] [folder]", error);
    }

    [Fact]
    public void Help_and_version_print_and_exit_0()
    {
        var help = Steme.Run("--help");
        Assert.Equal(0, help.Code);
        Assert.Contains("Usage: steme", help.Out);
        var version = Steme.Run("--version");
        Assert.Equal(0, version.Code);
        Assert.StartsWith("steme ", version.Out);
    }

    [Fact]
    public void Options_read_output_mode_output_file_and_read_only()
    {
        Assert.Equal(OutputMode.Table, Parse().Mode);
        Assert.Equal(OutputMode.Csv, Parse("--csv").Mode);
        Assert.Equal(OutputMode.Json, Parse("--json").Mode);
        Assert.Equal(OutputMode.Line, Parse("--mode=line").Mode);
        Assert.Equal("out.json", Parse("-o", "out.json").OutputPath);
        Assert.Equal("out.csv", Parse("--output=out.csv").OutputPath);
        Assert.Null(Parse().OutputPath);

        Assert.False(new StemeConnectionStringBuilder(Parse("db").ConnectionString).ReadOnly);
        var readOnly = Parse("--read-only", "db");
        Assert.True(readOnly.ReadOnly);
        Assert.True(new StemeConnectionStringBuilder(readOnly.ConnectionString).ReadOnly);
    }
}
