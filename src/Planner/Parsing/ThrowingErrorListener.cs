using Antlr4.Runtime;

namespace StemeQL.Planner.Parsing;

/// <summary>Fail-fast: turns the first error the lexer or parser notices into a <see cref="StemeException"/>.</summary>
internal sealed class ThrowingErrorListener : IAntlrErrorListener<IToken>, IAntlrErrorListener<int>
{
    public static readonly ThrowingErrorListener Instance = new();

    public void SyntaxError(
        TextWriter output, IRecognizer recognizer, IToken offendingSymbol, int line, int charPositionInLine,
        string msg, RecognitionException e)
    {
        var parser = (Parser)recognizer;
        // e is null when the error strategy reports a missing or extra token; the parser's state is then exact.
        var expected = e?.GetExpectedTokens() ?? parser.GetExpectedTokens();
        throw SyntaxErrors.Unexpected(offendingSymbol, Previous(parser.TokenStream, offendingSymbol), expected);
    }

    // The lexer has a catch-all token, so it does not report errors; this keeps it fail-fast regardless.
    public void SyntaxError(
        TextWriter output, IRecognizer recognizer, int offendingSymbol, int line, int charPositionInLine,
        string msg, RecognitionException e) =>
        throw new StemeException($"line {line}:{charPositionInLine} {msg}", line, charPositionInLine, []);

    private static IToken? Previous(ITokenStream tokens, IToken token)
    {
        for (int i = token.TokenIndex - 1; i >= 0; i--)
        {
            var candidate = tokens.Get(i);
            if (candidate.Channel == TokenConstants.DefaultChannel) return candidate;
        }
        return null;
    }
}
