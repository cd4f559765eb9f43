using StemeQL.Planner.Parsing;

namespace StemeQL.Planner.Tests.Parsing;

/// <summary>Every statement of /work/shared/conformance/*.slt parses (the SyntaxError cases fail).</summary>
public class ConformanceStatementTests
{
    // $de in the .slt files stands for a captured hash, written as a string literal.
    private const string Hash = "'0b1e6a3f9c2d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddee'";

    public static TheoryData<string> ValidStatements() =>
    [
        // foundation.slt
        "ASSERT ('paris', 'capital_of', 'france')",
        "ASSERT ('paris', 'capital_of', 'germany')",
        "SELECT object, confidence, candidates FROM assertions USING LENS consensus WHERE subject = 'paris' AND predicate = 'capital_of'",
        "SELECT object FROM assertions USING LENS recency WHERE subject = 'paris' AND predicate = 'capital_of'",
        "SELECT agent, object FROM assertions WHERE subject = 'paris'",
        $"VOTE {Hash}",
        $"VOTE {Hash} WEIGHT 1.0",
        $"VOTE {Hash} WEIGHT 0.1",
        $"VOTE {Hash} WEIGHT 0.5",
        "SELECT object, confidence, support FROM assertions USING LENS consensus WHERE subject = 'paris' AND predicate = 'capital_of'",
        $"SELECT agent, weight FROM votes WHERE assertion = {Hash}",
        "ASSERT ('sky', 'colour', 'blue') WITH CONFIDENCE 0.4",
        "ASSERT ('sky', 'colour', 'grey') WITH CONFIDENCE 0.6",
        "SELECT object, confidence, support FROM assertions USING LENS consensus WHERE subject = 'sky'",
        $"VOTE {Hash} WEIGHT 1.5",
        "VOTE 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' WEIGHT 0.5",
        "SELECT object FROM assertions USING LENS wisdom WHERE subject = 'paris'",
        // filters.slt
        "ASSERT ('c1', 'rank', 1), ('c2', 'rank', 2), ('c3', 'rank', 3), ('c4', 'rank', 4)",
        "ASSERT ('berlin', 'capital_of', 'germany'); ASSERT ('bern', 'capital_of', 'switzerland'); -- two statements",
        "/* typed values */ ASSERT ('bob', 'age', 42), ('bob', 'height_m', 1.82), ('bob', 'member', TRUE), ('bob', 'name', 'Bob')",
        "SELECT predicate, object_type FROM assertions WHERE subject = 'bob'",
        "SELECT object FROM assertions USING LENS consensus WHERE subject = 'bob' AND predicate = 'age'",
        "SELECT subject FROM assertions USING LENS consensus WHERE predicate = 'rank' ORDER BY object DESC LIMIT 2 OFFSET 1",
        "SELECT subject FROM assertions USING LENS consensus WHERE predicate = 'rank' AND object >= 3",
        "SELECT subject FROM assertions WHERE predicate = 'rank' AND NOT subject IN ('c1', 'c2')",
        "SELECT subject FROM assertions USING LENS consensus WHERE predicate = 'capital_of' AND (subject LIKE 'ber%' OR object = 'nowhere')",
        "SELECT subject FROM assertions WHERE predicate = 'rank' AND object <> 2 AND object < 4 ORDER BY subject",
        "ASSERT ('light', 'is', 'wave') IN EPOCH 'classical'",
        "SELECT object, epoch FROM assertions WHERE subject = 'light'",
        "SELECT epoch FROM assertions WHERE subject = 'c1'",
        "SELECT candidates FROM assertions WHERE subject = 'c1'",
        // STEMEQL.md
        "ASSERT (@s, @p, @o), ('berlin', 'capital_of', 'germany')   -- several at once, one atomic write\n"
            + "  IN EPOCH 'modern'\n  WITH CONFIDENCE 0.9\n  DERIVED FROM ('9f2c...', '0b1e...');",
        "VOTE '9f2c...';",
        "VOTE @hash WEIGHT 0.25;",
        "SELECT subject, object, confidence\nFROM assertions\nUSING LENS consensus\n"
            + "WHERE subject = @s AND predicate = 'capital_of'\nORDER BY confidence DESC\nLIMIT 10 OFFSET 0;",
        "SELECT object FROM assertions USING LENS consensus AS OF LSN 42 WHERE subject = 'pluto'",
        "SELECT object FROM assertions USING LENS consensus AS OF TIMESTAMP '2026-01-01T00:00:00Z'",
        "SELECT * FROM assertions",
        "SELECT * FROM votes",
        "EXPLAIN SELECT object FROM assertions USING LENS consensus WHERE subject = 'paris'",
    ];

    [Theory]
    [MemberData(nameof(ValidStatements))]
    public void Parse_accepts_statement_when_it_is_a_conformance_case(string text)
    {
        var statements = StemeParser.Parse(text);

        Assert.NotEmpty(statements);
    }

    [Theory]
    [InlineData("ASSERT paris")]
    [InlineData("SELECT FROM assertions")]
    public void Parse_throws_SyntaxError_when_statement_is_a_conformance_syntax_error(string text)
    {
        var error = Assert.Throws<StemeException>(() => StemeParser.Parse(text));

        Assert.Equal(StemeErrorCode.SyntaxError, error.ErrorCode);
    }
}
