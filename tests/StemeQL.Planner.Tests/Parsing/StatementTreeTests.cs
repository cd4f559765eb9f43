using StemeQL.Core.Model;
using StemeQL.Planner.Syntax;
using static StemeQL.Planner.Tests.Parsing.Trees;

namespace StemeQL.Planner.Tests.Parsing;

public class StatementTreeTests
{
    [Fact]
    public void Parse_builds_AssertStatement_when_one_tuple_is_given()
    {
        var expected = new AssertStatement(
            List(new AssertTuple(Text("paris"), Text("capital_of"), Text("france"))), null, null, SyntaxList<Expression>.Empty);

        Assert.Equal(expected, Single("ASSERT ('paris', 'capital_of', 'france')"));
    }

    [Fact]
    public void Parse_builds_AssertStatement_when_every_clause_is_given()
    {
        var statement = Single(
            "ASSERT (@s, @p, @o), ('x', 'n', -7) IN EPOCH 'modern' WITH CONFIDENCE 0.9 DERIVED FROM ('h1', @h2)");

        var expected = new AssertStatement(
            List(
                new AssertTuple(Param("s"), Param("p"), Param("o")),
                new AssertTuple(Text("x"), Text("n"), Int(-7))),
            Text("modern"),
            Real(0.9),
            List<Expression>(Text("h1"), Param("h2")));
        Assert.Equal(expected, statement);
    }

    [Fact]
    public void Parse_builds_typed_objects_when_tuple_holds_literals()
    {
        var statement = (AssertStatement)Single(
            "ASSERT ('b', 'p', 42), ('b', 'p', 1.82), ('b', 'p', TRUE), ('b', 'p', FALSE), ('b', 'p', NULL), ('b', 'p', X'0aFF'), ('b', 'p', -2.5e3)");

        var objects = statement.Tuples.Select(t => ((LiteralExpression)t.Object).Value).ToArray();
        Assert.Equal(
            [StemeValue.Integer(42), StemeValue.Real(1.82), StemeValue.Boolean(true), StemeValue.Boolean(false),
             StemeValue.Null, StemeValue.Bytes([0x0a, 0xff]), StemeValue.Real(-2500)],
            objects);
    }

    [Fact]
    public void Parse_builds_VoteStatement_when_weight_is_optional()
    {
        Assert.Equal(new VoteStatement(Text("9f2c"), null), Single("VOTE '9f2c'"));
        Assert.Equal(new VoteStatement(Param("hash"), Real(0.25)), Single("VOTE @hash WEIGHT 0.25"));
    }

    [Fact]
    public void Parse_builds_SelectStatement_when_every_clause_is_given()
    {
        var statement = Select(
            "SELECT subject, object AS o FROM assertions USING LENS skeptic (min_support = 2, mode = 'strict') "
            + "AS OF LSN 42 WHERE subject = @s ORDER BY confidence DESC, subject ASC, object LIMIT 10 OFFSET 5");

        var expected = new SelectStatement(
            List(new SelectItem("subject"), new SelectItem("object", "o")),
            "assertions",
            new LensClause("skeptic", List(new LensOption("min_support", Int(2)), new LensOption("mode", Text("strict")))),
            new AsOfClause(AsOfKind.Lsn, Int(42)),
            Eq(Col("subject"), Param("s")),
            List(new OrderItem(Col("confidence"), true), new OrderItem(Col("subject"), false), new OrderItem(Col("object"), false)),
            Int(10),
            Int(5));
        Assert.Equal(expected, statement);
    }

    [Fact]
    public void Parse_builds_SelectStatement_with_null_columns_when_star_is_selected()
    {
        Assert.Equal(SelectAll("votes"), Select("SELECT * FROM votes"));
    }

    [Fact]
    public void Parse_builds_timestamp_AsOf_when_TIMESTAMP_is_given()
    {
        var statement = Select("SELECT * FROM assertions USING LENS consensus AS OF TIMESTAMP '2026-01-01T00:00:00Z'");

        Assert.Equal(new AsOfClause(AsOfKind.Timestamp, Text("2026-01-01T00:00:00Z")), statement.AsOf);
        Assert.Equal(new LensClause("consensus", SyntaxList<LensOption>.Empty), statement.Lens);
    }

    [Fact]
    public void Parse_accepts_OFFSET_without_LIMIT()
    {
        var statement = Select("SELECT * FROM assertions OFFSET 3");

        Assert.Null(statement.Limit);
        Assert.Equal(Int(3), statement.Offset);
    }

    [Fact]
    public void Parse_builds_ExplainStatement_when_select_follows_EXPLAIN()
    {
        var statement = Single("EXPLAIN SELECT * FROM assertions");

        Assert.Equal(new ExplainStatement(SelectAll("assertions")), statement);
    }

    [Fact]
    public void Parse_keeps_names_as_written_when_case_differs()
    {
        var statement = Select("select Subject AS Who from Assertions using lens Consensus where OBJECT = 1");

        Assert.Equal(List(new SelectItem("Subject", "Who")), statement.Columns);
        Assert.Equal("Assertions", statement.Relation);
        Assert.Equal("Consensus", statement.Lens!.Name);
        Assert.Equal(Eq(Col("OBJECT"), Int(1)), statement.Where);
    }

    [Theory]
    [InlineData("hash")]
    [InlineData("subject")]
    [InlineData("predicate")]
    [InlineData("object")]
    [InlineData("object_type")]
    [InlineData("epoch")]
    [InlineData("agent")]
    [InlineData("asserted_at")]
    [InlineData("lsn")]
    [InlineData("confidence")]
    [InlineData("support")]
    [InlineData("candidates")]
    [InlineData("assertion")]
    [InlineData("weight")]
    [InlineData("voted_at")]
    [InlineData("timestamp")]
    [InlineData("lens")]
    [InlineData("offset")]
    [InlineData("asc")]
    [InlineData("desc")]
    [InlineData("derived")]
    public void Parse_reads_column_name_as_identifier_when_it_is_a_column_or_non_reserved_keyword(string name)
    {
        var statement = Select(
            $"SELECT {name} AS {name} FROM {name} USING LENS {name} ({name} = 1) WHERE {name} = 1 ORDER BY {name} DESC");

        Assert.Equal(List(new SelectItem(name, name)), statement.Columns);
        Assert.Equal(name, statement.Relation);
        Assert.Equal(new LensClause(name, List(new LensOption(name, Int(1)))), statement.Lens);
        Assert.Equal(Eq(Col(name), Int(1)), statement.Where);
        Assert.Equal(List(new OrderItem(Col(name), true)), statement.OrderBy);
    }

    [Fact]
    public void Parse_reads_ASC_as_column_when_it_is_the_order_key()
    {
        var statement = Select("SELECT * FROM t ORDER BY asc desc, desc");

        Assert.Equal(List(new OrderItem(Col("asc"), true), new OrderItem(Col("desc"), false)), statement.OrderBy);
    }

    [Fact]
    public void Parse_unescapes_quoted_identifiers_when_they_hold_reserved_words_or_quotes()
    {
        var statement = Select("SELECT \"select\", \"a \"\"b\"\"\" FROM \"from\" WHERE \"Where\" IS NULL");

        Assert.Equal(List(new SelectItem("select"), new SelectItem("a \"b\"")), statement.Columns);
        Assert.Equal("from", statement.Relation);
        Assert.Equal(new IsNullExpression(Col("Where"), false), statement.Where);
    }
}
