namespace StemeQL.Cli.Tests;

public sealed class StatementSplitterTests
{
    private static string[] Statements(string text) =>
        StatementSplitter.Split(text).Where(s => s.HasContent).Select(s => s.Text.Trim()).ToArray();

    [Fact]
    public void Splitter_splits_at_semicolons()
    {
        Assert.Equal(["ASSERT ('a', 'p', 'o');", "SELECT * FROM assertions;"],
            Statements("ASSERT ('a', 'p', 'o'); SELECT * FROM assertions;"));
    }

    [Fact]
    public void Splitter_ignores_semicolons_inside_strings()
    {
        Assert.Equal(["ASSERT ('a;b', 'p', 'it''s; fine');", "SELECT 1;"],
            Statements("ASSERT ('a;b', 'p', 'it''s; fine'); SELECT 1;"));
    }

    [Fact]
    public void Splitter_ignores_semicolons_inside_quoted_identifiers()
    {
        Assert.Equal(["SELECT \"odd;name\" FROM assertions;"], Statements("SELECT \"odd;name\" FROM assertions;"));
    }

    [Fact]
    public void Splitter_ignores_semicolons_inside_line_comments()
    {
        var segments = StatementSplitter.Split("SELECT 1 -- not here; nor here\nFROM assertions;");
        Assert.Single(segments);
        Assert.True(segments[0].Terminated);
    }

    [Fact]
    public void Splitter_ignores_semicolons_inside_block_comments()
    {
        Assert.Equal(["/* a; b */ ASSERT ('a', 'p', 'o');"], Statements("/* a; b */ ASSERT ('a', 'p', 'o');"));
    }

    [Fact]
    public void Splitter_treats_comment_only_segments_as_empty()
    {
        var segments = StatementSplitter.Split("ASSERT ('a', 'p', 'o'); -- two statements\n/* done */\n");
        Assert.Equal(2, segments.Count);
        Assert.True(segments[0].HasContent);
        Assert.False(segments[1].HasContent);
    }

    [Fact]
    public void Splitter_tracks_where_each_statement_starts()
    {
        var segments = StatementSplitter.Split("ASSERT ('a', 'p', 'o'); ASSERT paris;\nSELECT\n  x;");
        Assert.Equal((1, 0), (segments[0].Line, segments[0].Column));
        Assert.Equal((1, 23), (segments[1].Line, segments[1].Column));
        Assert.Equal((1, 37), (segments[2].Line, segments[2].Column));
        Assert.Equal("\nSELECT\n  x;", segments[2].Text);
    }

    [Fact]
    public void Splitter_keeps_an_unterminated_tail()
    {
        var segments = StatementSplitter.Split("SELECT 1; SELECT 2");
        Assert.False(segments[^1].Terminated);
        Assert.True(segments[^1].HasContent);
    }

    [Theory]
    [InlineData("SELECT subject FROM assertions;", true)]
    [InlineData("SELECT subject\nFROM assertions\nWHERE subject = 'paris';", true)]
    [InlineData("SELECT subject FROM assertions; -- trailing comment", true)]
    [InlineData("SELECT subject FROM assertions;  \n", true)]
    [InlineData("SELECT subject\nFROM assertions", false)]
    [InlineData("ASSERT ('a;", false)]
    [InlineData("ASSERT ('a', 'p', 'o'); SELECT", false)]
    [InlineData("SELECT 1; /* open comment;", false)]
    [InlineData("SELECT \"a;", false)]
    [InlineData("-- only a comment;", false)]
    [InlineData("", false)]
    public void Splitter_knows_when_multi_line_input_is_complete(string text, bool complete)
    {
        Assert.Equal(complete, StatementSplitter.IsComplete(text));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("  \n", true)]
    [InlineData("-- a comment\n", true)]
    [InlineData("/* a */ ;", true)]
    [InlineData("/* open", false)]
    [InlineData("SELECT", false)]
    public void Splitter_knows_blank_input(string text, bool blank)
    {
        Assert.Equal(blank, StatementSplitter.IsBlank(text));
    }
}
