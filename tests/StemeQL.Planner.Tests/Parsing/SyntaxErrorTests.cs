using StemeQL.Planner.Parsing;

namespace StemeQL.Planner.Tests.Parsing;

public class SyntaxErrorTests
{
    private static StemeException ParseError(string text)
    {
        var error = Assert.Throws<StemeException>(() => StemeParser.Parse(text));
        Assert.Equal(StemeErrorCode.SyntaxError, error.ErrorCode);
        return error;
    }

    [Fact]
    public void Parse_reports_expected_paren_when_ASSERT_is_followed_by_a_word()
    {
        var error = ParseError("ASSERT paris");

        Assert.Equal("line 1:7 expected '(' after ASSERT, found 'paris'", error.Message);
        Assert.Equal((1, 7), (error.Line, error.Column));
        Assert.Equal(["'('"], error.ExpectedTokens);
    }

    [Fact]
    public void Parse_reports_missing_columns_when_SELECT_is_followed_by_FROM()
    {
        var error = ParseError("SELECT FROM assertions");

        // The select list starts with '*', DISTINCT or any expression.
        Assert.StartsWith("line 1:7 expected one of ", error.Message);
        Assert.EndsWith(" after SELECT, found 'FROM'", error.Message);
        Assert.Equal((1, 7), (error.Line, error.Column));
        Assert.Contains("'*'", error.ExpectedTokens);
        Assert.Contains("'DISTINCT'", error.ExpectedTokens);
        Assert.Contains("identifier", error.ExpectedTokens);
        Assert.Contains("literal", error.ExpectedTokens);
    }

    [Fact]
    public void Parse_reports_end_of_input_when_VOTE_has_no_hash()
    {
        var error = ParseError("VOTE");

        Assert.Equal("line 1:4 expected one of '-', literal, parameter after VOTE, found end of input", error.Message);
        Assert.Equal((1, 4), (error.Line, error.Column));
        Assert.Equal(["'-'", "literal", "parameter"], error.ExpectedTokens);
    }

    [Fact]
    public void Parse_reports_statement_keywords_when_text_starts_with_an_unknown_word()
    {
        var error = ParseError("  INSERT INTO assertions");

        Assert.Equal("line 1:2 expected one of 'ASSERT', 'VOTE', 'SELECT', 'EXPLAIN', found 'INSERT'", error.Message);
        Assert.Equal(["'ASSERT'", "'VOTE'", "'SELECT'", "'EXPLAIN'"], error.ExpectedTokens);
    }

    [Fact]
    public void Parse_reports_start_of_string_when_string_is_unterminated()
    {
        var error = ParseError("SELECT * FROM t WHERE a = 'it''s");

        Assert.Equal("line 1:26 expected a closing quote for the string, found end of input", error.Message);
        Assert.Equal((1, 26), (error.Line, error.Column));
        Assert.Equal(["'"], error.ExpectedTokens);
    }

    [Fact]
    public void Parse_reports_unterminated_string_when_it_ends_with_a_doubled_quote()
    {
        var error = ParseError("VOTE 'abc''");

        Assert.Equal("line 1:5 expected a closing quote for the string, found end of input", error.Message);
    }

    [Fact]
    public void Parse_reports_unterminated_quoted_identifier_and_comment()
    {
        Assert.Equal("line 1:7 expected a closing quote for the quoted identifier, found end of input", ParseError("SELECT \"abc FROM t").Message);
        Assert.Equal("line 1:16 expected '*/' to close the comment, found end of input", ParseError("SELECT * FROM t /* never * closed").Message);
    }

    [Fact]
    public void Parse_reports_line_and_column_when_error_is_on_a_later_line()
    {
        var error = ParseError("SELECT subject\n  FROM assertions\n  WHERE subject = = 'x'");

        Assert.Equal((3, 18), (error.Line, error.Column));
        Assert.StartsWith("line 3:18 expected one of ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(", found '='", error.Message, StringComparison.Ordinal);
        Assert.Contains("identifier", error.ExpectedTokens);
        Assert.Contains("literal", error.ExpectedTokens);
        Assert.Contains("parameter", error.ExpectedTokens);
    }

    [Theory]
    [InlineData("SELECT # FROM t", 7, "'#'")]
    [InlineData("SELECT * FROM t WHERE a = 1 ^ 2", 28, "'^'")]
    [InlineData("SELECT * FROM t WHERE a ! 1", 24, "'!'")]
    public void Parse_reports_character_when_it_is_not_part_of_the_language(string text, int column, string shown)
    {
        var error = ParseError(text);

        Assert.Equal((1, column), (error.Line, error.Column));
        Assert.EndsWith("found " + shown, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_reports_closing_paren_when_tuple_is_not_closed()
    {
        var error = ParseError("ASSERT ('a', 'b', 'c'");

        Assert.Equal("line 1:21 expected ')', found end of input", error.Message);
    }

    [Fact]
    public void Parse_reports_separator_when_a_statement_has_trailing_words()
    {
        var error = ParseError("SELECT * FROM t WHERE a = 1 b");

        Assert.Equal((1, 28), (error.Line, error.Column));
        Assert.Contains("';'", error.ExpectedTokens);
        Assert.Contains("end of input", error.ExpectedTokens);
        Assert.Contains("'AND'", error.ExpectedTokens);
    }

    [Fact]
    public void Parse_reports_first_error_when_it_is_in_a_later_statement()
    {
        var error = ParseError("SELECT * FROM a; SELEC * FROM b; VOTE");

        Assert.Equal((1, 17), (error.Line, error.Column));
        Assert.Contains("found 'SELEC'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT * FROM t WHERE a = x'abc'", 26)]
    [InlineData("ASSERT ('a', 'b', X'0')", 18)]
    public void Parse_reports_bytes_literal_when_hex_digits_are_odd(string text, int column)
    {
        var error = ParseError(text);

        Assert.Equal((1, column), (error.Line, error.Column));
        Assert.Contains("even number of hex digits", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ASSERT ('a', 'b', subject)")]
    [InlineData("SELECT * FROM t LIMIT n")]
    [InlineData("SELECT * FROM t AS OF LSN -x")]
    [InlineData("SELECT * FROM t WHERE a LIKE")]
    [InlineData("SELECT * FROM t WHERE a IN ()")]
    [InlineData("SELECT * FROM t WHERE a IS 1")]
    [InlineData("SELECT * FROM t WHERE a NOT b")]
    [InlineData("SELECT * FROM t ORDER a")]
    [InlineData("SELECT a, FROM t")]
    [InlineData("SELECT * FROM select")]
    [InlineData("EXPLAIN VOTE 'h'")]
    [InlineData("VOTE 'h' WEIGHT")]
    [InlineData("SELECT * FROM t USING LENS l ()")]
    [InlineData("SELECT * FROM t WHERE a = 1 = 2")]
    [InlineData("SELECT * FROM t LIMIT 1 LIMIT 2")]
    [InlineData("SELECT * FROM t WHERE (a = 1")]
    public void Parse_throws_SyntaxError_when_statement_is_malformed(string text)
    {
        var error = ParseError(text);

        Assert.StartsWith($"line {error.Line}:{error.Column} expected ", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(error.ExpectedTokens);
    }

    [Fact]
    public void Parse_accepts_nesting_when_it_is_within_the_limit()
    {
        string parens = new string('(', 199) + "a = 1" + new string(')', 199);

        Assert.NotNull(Trees.Where(parens));
        Assert.NotNull(Trees.Where(string.Concat(Enumerable.Repeat("NOT ", 199)) + "a"));
    }

    [Theory]
    [InlineData(201)]
    [InlineData(100_000)]
    public void Parse_throws_SyntaxError_when_parentheses_nest_too_deeply(int depth)
    {
        var error = ParseError("SELECT * FROM t WHERE " + new string('(', depth) + "a" + new string(')', depth));

        Assert.Contains("expression nested too deeply", error.Message, StringComparison.Ordinal);
        Assert.Equal((1, 22 + 200), (error.Line, error.Column));
    }

    [Fact]
    public void Parse_throws_SyntaxError_when_NOT_and_minus_chain_too_deeply()
    {
        var error = ParseError("SELECT * FROM t WHERE " + string.Concat(Enumerable.Repeat("NOT (- ", 101)) + "a");

        Assert.Contains("expression nested too deeply", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT {0}1{1}", "CASE WHEN TRUE THEN ", " END")]
    [InlineData("SELECT {0}1{1}", "CASE WHEN FALSE THEN 0 ELSE ", " END")]
    [InlineData("SELECT {0}1{1}", "CASE ", " WHEN 1 THEN 1 END")]
    [InlineData("SELECT * FROM t WHERE {0}a{1}", "CASE WHEN a THEN ", " END")]
    public void Parse_throws_SyntaxError_when_CASE_nests_too_deeply(string shape, string open, string close)
    {
        foreach (int depth in new[] { 201, 100_000 })
        {
            string text = string.Format(shape, string.Concat(Enumerable.Repeat(open, depth)), string.Concat(Enumerable.Repeat(close, depth)));

            var error = ParseError(text);

            Assert.Contains("expression nested too deeply", error.Message, StringComparison.Ordinal);
            Assert.Equal(1, error.Line);
        }
    }

    [Fact]
    public void Parse_accepts_CASE_nesting_within_the_limit()
    {
        string nested = string.Concat(Enumerable.Repeat("CASE WHEN a THEN ", 199)) + "1" + string.Concat(Enumerable.Repeat(" END", 199));

        Assert.NotNull(Trees.Where(nested + " = 1"));
    }

    // '§' stands for the surrogate: attribute strings are stored as UTF-8, which cannot hold half a pair.
    [Theory]
    [InlineData("SELECT * FROM assertions WHERE subject = '§'", 0xD800, 1, 42)]
    [InlineData("SELECT 1;\nASSERT ('a', 'b', 'x§y')", 0xDC00, 2, 20)]
    [InlineData("§", 0xDBFF, 1, 0)]
    [InlineData("ASSERT ('a', 'b', '§§')", 0xDC00, 1, 19)]
    public void Parse_reports_an_unpaired_surrogate_as_a_syntax_error(string template, int surrogate, int line, int column)
    {
        var error = ParseError(template.Replace('§', (char)surrogate));
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Contains("unpaired UTF-16 surrogate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_accepts_a_surrogate_pair()
    {
        Assert.Single(StemeParser.Parse("ASSERT ('\U0001F600', 'p', 'o')"));
    }

    [Fact]
    public void Parse_stops_when_its_cancellation_token_is_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => StemeParser.Parse("SELECT subject FROM assertions", cancelled.Token));
    }
}
