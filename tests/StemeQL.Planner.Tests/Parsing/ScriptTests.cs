using StemeQL.Planner.Parsing;
using StemeQL.Planner.Syntax;
using static StemeQL.Planner.Tests.Parsing.Trees;

namespace StemeQL.Planner.Tests.Parsing;

public class ScriptTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    [InlineData("-- only a comment")]
    [InlineData("/* block */ -- and line")]
    [InlineData(";")]
    [InlineData(" ; ;; ")]
    public void Parse_returns_no_statements_when_text_has_only_whitespace_comments_or_semicolons(string text)
    {
        Assert.Empty(StemeParser.Parse(text));
    }

    [Fact]
    public void Parse_returns_each_statement_when_several_are_separated_by_semicolons()
    {
        var statements = StemeParser.Parse("SELECT * FROM a; ; SELECT * FROM b;\nSELECT * FROM c;");

        Assert.Equal([SelectAll("a"), SelectAll("b"), SelectAll("c")], statements);
    }

    [Fact]
    public void Parse_ignores_comments_when_they_appear_between_tokens()
    {
        var statements = StemeParser.Parse(
            "/* lead */ SELECT /* inline */ * -- trailing\n FROM /* multi\nline */ assertions -- end");

        Assert.Equal([SelectAll("assertions")], statements);
    }

    [Fact]
    public void Parse_ignores_keyword_case()
    {
        var upper = StemeParser.Parse("SELECT A FROM T USING LENS L AS OF LSN 1 WHERE A IS NOT NULL AND NOT B IN (1) ORDER BY A DESC LIMIT 1 OFFSET 0");
        var lower = StemeParser.Parse("select A from T using lens L as of lsn 1 where A is not null and not B in (1) order by A desc limit 1 offset 0");
        var mixed = StemeParser.Parse("SeLeCt A FrOm T UsInG LeNs L aS oF lSn 1 WhErE A iS nOt NuLl AnD nOt B iN (1) OrDeR bY A dEsC lImIt 1 OfFsEt 0");

        Assert.Equal(upper, lower);
        Assert.Equal(upper, mixed);
        Assert.Equal(
            new VoteStatement(Text("h"), Real(0.5)),
            Assert.Single(StemeParser.Parse("vote 'h' weight 0.5")));
    }

    [Fact]
    public void Parse_accepts_parameters_when_named_with_digits_and_underscores()
    {
        Assert.Equal(Eq(Col("a"), Param("p_1")), Where("a = @p_1"));
        Assert.Equal(Eq(Col("a"), Param("Name")), Where("a = @Name"));
    }
}
