using System.Globalization;

namespace StemeQL.Cli.Tests;

public sealed class ResultFormatterTests
{
    private static string Table(string[] headers, params object?[][] rows)
    {
        var output = new StringWriter();
        ResultFormatter.WriteTable(output, headers, rows);
        return output.ToString().ReplaceLineEndings("\n");
    }

    [Fact]
    public void Formatter_aligns_columns_under_their_headers()
    {
        string table = Table(["subject", "object"], ["paris", "france"], ["berlin", "germany"]);
        Assert.Equal(
            """
            subject | object
            --------+--------
            paris   | france
            berlin  | germany
            (2 rows)

            """.ReplaceLineEndings("\n"), table);
    }

    [Fact]
    public void Formatter_right_aligns_numbers_and_shows_NULL()
    {
        string table = Table(["subject", "lsn", "confidence"], ["c1", 1L, null], ["c10", 12L, 0.5]);
        Assert.Equal(
            """
            subject | lsn | confidence
            --------+-----+-----------
            c1      |   1 |       NULL
            c10     |  12 |        0.5
            (2 rows)

            """.ReplaceLineEndings("\n"), table);
    }

    [Fact]
    public void Formatter_says_1_row_and_0_rows()
    {
        Assert.EndsWith("(1 row)\n", Table(["a"], ["x"]));
        Assert.Equal("a\n-\n(0 rows)\n", Table(["a"]));
    }

    [Theory]
    [InlineData(0.6666666666, "0.666667")]
    [InlineData(1.0, "1.0")]
    [InlineData(3.5, "3.5")]
    [InlineData(-0.25, "-0.25")]
    [InlineData(1.82, "1.82")]
    [InlineData(1e-9, "1E-09")]
    public void Formatter_shows_reals_with_up_to_6_decimals(double value, string expected)
    {
        Assert.Equal(expected, ResultFormatter.FormatValue(value));
    }

    [Fact]
    public void Formatter_renders_each_type()
    {
        Assert.Equal("NULL", ResultFormatter.FormatValue(null));
        Assert.Equal("NULL", ResultFormatter.FormatValue(DBNull.Value));
        Assert.Equal("true", ResultFormatter.FormatValue(true));
        Assert.Equal("false", ResultFormatter.FormatValue(false));
        Assert.Equal("42", ResultFormatter.FormatValue(42L));
        Assert.Equal("x'0aff'", ResultFormatter.FormatValue(new byte[] { 0x0a, 0xff }));
        Assert.Equal("2026-01-02T03:04:05Z", ResultFormatter.FormatValue(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc)));
        Assert.Equal("2026-01-02T03:04:05.5Z", ResultFormatter.FormatValue(new DateTime(2026, 1, 2, 3, 4, 5, 500, DateTimeKind.Utc)));
        Assert.Equal("line\\nbreak", ResultFormatter.FormatValue("line\nbreak"));
    }

    [Fact]
    public void Formatter_uses_the_invariant_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("0.5", ResultFormatter.FormatValue(0.5));
            Assert.Equal("1234567", ResultFormatter.FormatValue(1234567L));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
