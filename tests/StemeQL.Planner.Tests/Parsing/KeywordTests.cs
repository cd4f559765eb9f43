using StemeQL.Planner.Parsing;
using StemeQL.Planner.Parsing.Generated;
using StemeQL.Planner.Syntax;
using static StemeQL.Planner.Tests.Parsing.Trees;

namespace StemeQL.Planner.Tests.Parsing;

public class KeywordTests
{
    private static IEnumerable<string> GrammarKeywords() =>
        Enumerable.Range(1, ((Antlr4.Runtime.Vocabulary)StemeQLLexer.DefaultVocabulary).getMaxTokenType())
            .Select(StemeQLLexer.DefaultVocabulary.GetLiteralName)
            .Where(l => l is { Length: > 2 } && l[1..^1].All(char.IsAsciiLetter))
            .Select(l => l![1..^1]);

    [Fact]
    public void Keywords_lists_every_grammar_keyword_exactly_once()
    {
        var listed = Keywords.Reserved.Concat(Keywords.NonReserved).Order(StringComparer.Ordinal);

        Assert.Equal(GrammarKeywords().Order(StringComparer.Ordinal), listed);
        Assert.Empty(Keywords.Reserved.Intersect(Keywords.NonReserved));
    }

    [Fact]
    public void Parse_reads_non_reserved_keyword_as_column_when_used_as_identifier()
    {
        foreach (string word in Keywords.NonReserved)
        {
            Assert.Equal(Eq(Col(word.ToLowerInvariant()), Int(1)), Where(word.ToLowerInvariant() + " = 1"));
        }
    }

    [Fact]
    public void Parse_rejects_reserved_keyword_as_column_unless_quoted()
    {
        // NULL, TRUE and FALSE are literals, which a select list may hold.
        foreach (string word in Keywords.Reserved.Except(["NULL", "TRUE", "FALSE"]))
        {
            var error = Assert.Throws<StemeException>(() => StemeParser.Parse($"SELECT {word} FROM t"));
            Assert.Equal(StemeErrorCode.SyntaxError, error.ErrorCode);
            Assert.Equal(new SelectItem(word), Assert.Single(Select($"SELECT \"{word}\" FROM t").Columns!));
        }
    }
}
