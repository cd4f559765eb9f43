using StemeQL.Core.Model;
using StemeQL.Planner.Parsing;
using StemeQL.Planner.Syntax;
using static StemeQL.Planner.Tests.Parsing.Trees;

namespace StemeQL.Planner.Tests.Parsing;

public class SyntaxPrinterTests
{
    public static TheoryData<string> Corpus() =>
    [
        "ASSERT ('paris', 'capital_of', 'france')",
        "assert (@s, @p, @o), ('berlin', 'capital_of', 'germany') in epoch 'modern' with confidence 0.9 derived from ('9f2c', '0b1e')",
        "ASSERT ('bob', 'age', 42), ('bob', 'height_m', 1.82), ('bob', 'member', TRUE), ('bob', 'name', 'Bob')",
        "ASSERT ('it''s', 'has \"quotes\"', 'line\nbreak')",
        "ASSERT ('x', 'n', -7), ('x', 'r', -0.25), ('x', 'big', 9223372036854775808), ('x', 'min', -9223372036854775808)",
        "ASSERT ('x', 'b', X'00ff10'), ('x', 'e', x''), ('x', 'null', NULL), ('x', 'f', false)",
        "ASSERT ('x', 'tiny', 1e-300), ('x', 'huge', 1.5E+300), ('x', 'third', 0.3333333333333333), ('x', 'whole', 3.0)",
        "ASSERT ('light', 'is', 'wave') IN EPOCH 'classical'",
        "ASSERT ('a', 'b', 'c') DERIVED FROM (@h)",
        "VOTE '9f2c'",
        "VOTE @hash WEIGHT 0.25",
        "VOTE 'h' WEIGHT 1",
        "SELECT * FROM assertions",
        "SELECT * FROM votes WHERE assertion = @h",
        "SELECT subject, object AS o, confidence AS \"Conf\" FROM assertions USING LENS consensus",
        "SELECT object FROM assertions USING LENS consensus AS OF LSN 42 WHERE subject = 'pluto'",
        "SELECT object FROM assertions USING LENS recency AS OF TIMESTAMP '2026-01-01T00:00:00Z'",
        "SELECT * FROM assertions USING LENS skeptic (min_support = 2, mode = 'strict', epoch = @e)",
        "SELECT * FROM assertions WHERE a OR b AND c",
        "SELECT * FROM assertions WHERE (a OR b) AND c",
        "SELECT * FROM assertions WHERE a OR (b OR c)",
        "SELECT * FROM assertions WHERE a AND (b AND c)",
        "SELECT * FROM assertions WHERE NOT x = 1",
        "SELECT * FROM assertions WHERE (NOT x) = TRUE",
        "SELECT * FROM assertions WHERE NOT (a AND b) OR NOT NOT c",
        "SELECT * FROM assertions WHERE (a = b) = (c <> d)",
        "SELECT * FROM assertions WHERE x != 1 AND x < 2 AND x <= 3 AND x > 4 AND x >= 5",
        "SELECT * FROM assertions WHERE subject IN ('c1', 'c2', @p) AND object NOT IN (1, -2, 3.5)",
        "SELECT * FROM assertions WHERE subject LIKE 'ber%' OR subject NOT LIKE @pattern",
        "SELECT * FROM assertions WHERE confidence IS NULL OR candidates IS NOT NULL",
        "SELECT * FROM assertions WHERE -x = 1 AND -(7) = -7 AND - -7 = 7 AND -(a = b) = c",
        "SELECT * FROM assertions WHERE (a IN (1)) IN ((b LIKE 'x'), (c IS NULL))",
        "SELECT * FROM assertions WHERE \"select\" = 1 AND \"has space\" = 2 AND \"q\"\"uote\" = 3 AND lsn = 4",
        "SELECT \"FROM\" FROM \"from\" USING LENS \"using\" WHERE weight > 0.5",
        "SELECT subject FROM assertions ORDER BY confidence DESC, subject ASC, object LIMIT 10 OFFSET 5",
        "SELECT subject FROM assertions ORDER BY asc DESC LIMIT @n",
        "SELECT subject FROM assertions OFFSET 3",
        "SELECT * FROM t WHERE b = X'DEADbeef' AND r = 1e10 AND s = '' AND n = NULL",
        "EXPLAIN SELECT object FROM assertions USING LENS consensus WHERE subject = 'paris' AND predicate = 'capital_of'",
        "explain select * from votes where agent like 'a%' order by voted_at desc limit 1",
        "SELECT * FROM a; VOTE 'h'; ASSERT ('s', 'p', 'o')",
        "SELECT 1",
        "select @p, null, 'x' || 'y' label",
        "SELECT DISTINCT agent FROM votes",
        "SELECT predicate, count(*) AS n, count(DISTINCT subject), avg(weight) FROM assertions GROUP BY predicate HAVING count(*) > 10 ORDER BY n DESC, 2",
        "SELECT a + b * c - d / e % f, (a + b) * c, a - (b - c), a - -1, -(a + b), a * -b FROM t",
        "SELECT 'a' || 'b' || c, a + b = c * d, x IN (a + 1, b * 2) FROM t WHERE a + 1 LIKE b || '%' AND c - 1 IS NULL",
        "SELECT CASE WHEN a > 1 THEN 'x' WHEN b THEN 'y' ELSE 'z' END, CASE a WHEN 1 THEN 2 END FROM t",
        "SELECT lower(subject), substr(object, 1, 3), coalesce(a, b, NULL), count(*) FROM t GROUP BY lower(subject), 2",
        "EXPLAIN ANALYZE SELECT count(*) FROM assertions",
    ];

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Print_gives_text_that_parses_to_an_equal_tree(string text)
    {
        var parsed = StemeParser.Parse(text);

        var reparsed = StemeParser.Parse(SyntaxPrinter.PrintScript(parsed));

        Assert.Equal(parsed, reparsed);
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Print_is_a_fixed_point_when_its_output_is_parsed_and_printed_again(string text)
    {
        string printed = SyntaxPrinter.PrintScript(StemeParser.Parse(text));

        Assert.Equal(printed, SyntaxPrinter.PrintScript(StemeParser.Parse(printed)));
    }

    [Theory]
    [InlineData("assert ('a','b',1) in epoch 'e' with confidence 0.5 derived from ('h')",
        "ASSERT ('a', 'b', 1) IN EPOCH 'e' WITH CONFIDENCE 0.5 DERIVED FROM ('h')")]
    [InlineData("vote @h weight 1", "VOTE @h WEIGHT 1")]
    [InlineData("select a as b,c from t using lens l(x=1) as of lsn 3 where a=1 or b=2 and not c order by a asc,b desc limit 1 offset 2",
        "SELECT a AS b, c FROM t USING LENS l (x = 1) AS OF LSN 3 WHERE a = 1 OR b = 2 AND NOT c ORDER BY a, b DESC LIMIT 1 OFFSET 2")]
    [InlineData("select * from t where (a or b) and (c or d)", "SELECT * FROM t WHERE (a OR b) AND (c OR d)")]
    [InlineData("select * from t where ((a = 1))", "SELECT * FROM t WHERE a = 1")]
    [InlineData("explain select * from t as of timestamp 'x'", "EXPLAIN SELECT * FROM t AS OF TIMESTAMP 'x'")]
    public void Print_writes_canonical_text_when_statement_is_parsed(string text, string expected)
    {
        Assert.Equal(expected, SyntaxPrinter.Print(Trees.Single(text)));
    }

    [Fact]
    public void Print_joins_statements_with_semicolon_and_line_break()
    {
        Assert.Equal("SELECT * FROM a;\nSELECT * FROM b", SyntaxPrinter.PrintScript([SelectAll("a"), SelectAll("b")]));
    }

    [Fact]
    public void Print_parenthesises_operands_when_tree_nests_against_precedence()
    {
        // Chains are flat nodes: a nested OR of ORs is one chain, printed without parentheses.
        Assert.Equal("a OR b OR c", SyntaxPrinter.Print(Or(Col("a"), Or(Col("b"), Col("c")))));
        Assert.Equal("(a OR b) AND c", SyntaxPrinter.Print(And(Or(Col("a"), Col("b")), Col("c"))));
        Assert.Equal("NOT (a AND b)", SyntaxPrinter.Print(Not(And(Col("a"), Col("b")))));
        Assert.Equal("(a = 1) = TRUE", SyntaxPrinter.Print(Eq(Eq(Col("a"), Int(1)), Bool(true))));
        Assert.Equal("(NOT a) = b", SyntaxPrinter.Print(Eq(Not(Col("a")), Col("b"))));
        Assert.Equal("(a IS NULL) IS NOT NULL", SyntaxPrinter.Print(new IsNullExpression(new IsNullExpression(Col("a"), false), true)));
    }

    [Fact]
    public void Print_keeps_negation_distinct_from_negative_literal()
    {
        Assert.Equal("-7", SyntaxPrinter.Print(Int(-7)));
        Assert.Equal("-(7)", SyntaxPrinter.Print(Negate(Int(7))));
        Assert.Equal("-(-7)", SyntaxPrinter.Print(Negate(Int(-7))));
        Assert.Equal("-(-x)", SyntaxPrinter.Print(Negate(Negate(Col("x")))));
        Assert.Equal("-@p", SyntaxPrinter.Print(Negate(Param("p"))));
        Assert.Equal(Eq(Negate(Negate(Col("x"))), Int(1)), Where(SyntaxPrinter.Print(Eq(Negate(Negate(Col("x"))), Int(1)))));
    }

    [Theory]
    [InlineData(3.0, "3.0")]
    [InlineData(-2.0, "-2.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e20, "1E+20")]
    [InlineData(1e-7, "1E-07")]
    [InlineData(double.PositiveInfinity, "1e999")]
    [InlineData(double.NegativeInfinity, "-1e999")]
    public void Print_writes_real_so_that_it_parses_back_as_a_real(double value, string expected)
    {
        string printed = SyntaxPrinter.Print(Real(value));

        Assert.Equal(expected, printed);
        Assert.Equal(Eq(Col("x"), Real(value)), Where("x = " + printed));
    }

    [Fact]
    public void Print_writes_other_literals_in_their_StemeQL_form()
    {
        Assert.Equal("'it''s'", SyntaxPrinter.Print(Text("it's")));
        Assert.Equal("X'0aff'", SyntaxPrinter.Print(new LiteralExpression(StemeValue.Bytes([0x0a, 0xff]))));
        Assert.Equal("NULL", SyntaxPrinter.Print(Null));
        Assert.Equal("FALSE", SyntaxPrinter.Print(Bool(false)));
        Assert.Equal("-9223372036854775808", SyntaxPrinter.Print(Int(long.MinValue)));
        Assert.Equal(
            "'2026-01-01T00:00:00.0000000Z'",
            SyntaxPrinter.Print(new LiteralExpression(StemeValue.Timestamp(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)))));
        Assert.Throws<NotSupportedException>(() => SyntaxPrinter.Print(Real(double.NaN)));
    }

    [Theory]
    [InlineData("subject", "subject")]
    [InlineData("_x1", "_x1")]
    [InlineData("lsn", "lsn")]
    [InlineData("Select", "\"Select\"")]
    [InlineData("1st", "\"1st\"")]
    [InlineData("has space", "\"has space\"")]
    [InlineData("q\"uote", "\"q\"\"uote\"")]
    [InlineData("", "\"\"")]
    [InlineData("é", "\"é\"")]
    public void Identifier_quotes_name_when_it_is_not_plain_or_is_reserved(string name, string expected)
    {
        Assert.Equal(expected, SyntaxPrinter.Identifier(name));
        Assert.Equal(new ColumnExpression(name), ((BinaryExpression)Where(expected + " = 1")).Left);
    }

    [Fact]
    public void Print_throws_when_select_has_an_empty_column_list()
    {
        var statement = SelectAll("t") with { Columns = SyntaxList<SelectItem>.Empty };

        Assert.Throws<ArgumentException>(() => SyntaxPrinter.Print(statement));
    }
}
