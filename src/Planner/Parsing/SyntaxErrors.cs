using Antlr4.Runtime;
using Antlr4.Runtime.Misc;
using StemeQL.Planner.Parsing.Generated;

namespace StemeQL.Planner.Parsing;

/// <summary>
/// Builds syntax-error exceptions in the contract's form <c>line L:C expected X[ after KEYWORD], found 'tok'</c>,
/// naming expected tokens the way a user reads them (identifier, literal, <c>'('</c>) rather than ANTLR's names.
/// </summary>
internal static class SyntaxErrors
{
    private const int MaxShownLength = 40;

    private static readonly IVocabulary Vocabulary = StemeQLLexer.DefaultVocabulary;

    private static readonly HashSet<int> LiteralTypes =
    [
        StemeQLLexer.STRING, StemeQLLexer.INTEGER, StemeQLLexer.REAL, StemeQLLexer.BYTES,
        StemeQLLexer.TRUE, StemeQLLexer.FALSE, StemeQLLexer.NULL,
    ];

    private static readonly HashSet<int> NonReservedTypes = [.. AllTypes().Where(t =>
        Vocabulary.GetSymbolicName(t) is { } name && Keywords.NonReserved.Contains(name))];

    /// <summary>An error at <paramref name="token"/>: the message gets the <c>line L:C</c> prefix.</summary>
    public static StemeException At(IToken token, string message, IReadOnlyList<string> expected) =>
        new($"line {token.Line}:{token.Column} {message}", token.Line, token.Column, expected);

    /// <summary>The parser met <paramref name="found"/> where only <paramref name="expected"/> would do.</summary>
    public static StemeException Unexpected(IToken found, IToken? previous, IntervalSet expected)
    {
        switch (found.Type)
        {
            case StemeQLLexer.UNTERMINATED_STRING:
                return At(found, "expected a closing quote for the string, found end of input", ["'"]);
            case StemeQLLexer.UNTERMINATED_QUOTED_IDENTIFIER:
                return At(found, "expected a closing quote for the quoted identifier, found end of input", ["\""]);
            case StemeQLLexer.UNTERMINATED_COMMENT:
                return At(found, "expected '*/' to close the comment, found end of input", ["*/"]);
        }
        var names = Describe(expected);
        string what = names.Count switch
        {
            0 => "nothing more",
            1 => names[0],
            _ => "one of " + string.Join(", ", names),
        };
        string after = previous is not null && IsKeyword(previous.Type) ? " after " + previous.Text.ToUpperInvariant() : "";
        return At(found, $"expected {what}{after}, found {Show(found)}", names);
    }

    /// <summary>How an error message shows a token the user wrote.</summary>
    public static string Show(IToken token)
    {
        if (token.Type == TokenConstants.EOF) return "end of input";
        string text = token.Text.Length > MaxShownLength ? token.Text[..MaxShownLength] + "..." : token.Text;
        return token.Type == StemeQLLexer.STRING ? "string " + text : "'" + text + "'";
    }

    private static List<string> Describe(IntervalSet expected)
    {
        var types = expected.ToList();
        bool identifier = types.Contains(StemeQLLexer.IDENTIFIER);
        bool literal = LiteralTypes.All(types.Contains);
        bool number = types.Contains(StemeQLLexer.INTEGER) && types.Contains(StemeQLLexer.REAL);
        bool statementStart = types.Contains(StemeQLLexer.ASSERT);
        var names = new List<(int Rank, int Type, string Name)>();
        foreach (int type in types)
        {
            if (identifier && (type == StemeQLLexer.QUOTED_IDENTIFIER || NonReservedTypes.Contains(type))) continue;
            if (statementStart && type is StemeQLLexer.SEMI or TokenConstants.EOF) continue;
            if (literal && LiteralTypes.Contains(type))
            {
                names.Add((2, 0, "literal"));
                continue;
            }
            if (number && type is StemeQLLexer.INTEGER or StemeQLLexer.REAL)
            {
                names.Add((2, 0, "number"));
                continue;
            }
            names.Add(Name(type));
        }
        return [.. names.OrderBy(n => n.Rank).ThenBy(n => n.Type).Select(n => n.Name).Distinct()];
    }

    // Rank orders the list: keywords and punctuation, then identifier, values, and end of input.
    private static (int Rank, int Type, string Name) Name(int type) => type switch
    {
        TokenConstants.EOF => (5, type, "end of input"),
        StemeQLLexer.IDENTIFIER or StemeQLLexer.QUOTED_IDENTIFIER => (1, type, "identifier"),
        StemeQLLexer.STRING => (2, type, "string"),
        StemeQLLexer.INTEGER => (2, type, "integer"),
        StemeQLLexer.REAL => (2, type, "real"),
        StemeQLLexer.BYTES => (2, type, "bytes"),
        StemeQLLexer.PARAMETER => (3, type, "parameter"),
        StemeQLLexer.NEQ => (0, type, "'<>'"),
        _ => (0, type, Vocabulary.GetLiteralName(type) ?? Vocabulary.GetSymbolicName(type).ToLowerInvariant()),
    };

    private static bool IsKeyword(int type) =>
        Vocabulary.GetLiteralName(type) is { Length: > 2 } literal && literal[1..^1].All(char.IsAsciiLetter);

    private static IEnumerable<int> AllTypes() => Enumerable.Range(1, ((Vocabulary)Vocabulary).getMaxTokenType());
}
