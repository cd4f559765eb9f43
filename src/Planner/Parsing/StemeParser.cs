using Antlr4.Runtime;
using Antlr4.Runtime.Atn;
using Antlr4.Runtime.Misc;
using StemeQL.Planner.Parsing.Generated;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Parsing;

/// <summary>Parses StemeQL text into syntax trees.</summary>
public static class StemeParser
{
    /// <summary>
    /// Parses a script of zero or more statements separated by <c>;</c>. Text holding only
    /// whitespace and comments gives an empty list.
    /// </summary>
    /// <exception cref="StemeException">
    /// With <see cref="StemeErrorCode.SyntaxError"/>, the line, column and expected tokens of the
    /// first error, e.g. <c>line 1:7 expected '(' after ASSERT, found 'paris'</c>.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled while parsing.</exception>
    public static IReadOnlyList<Statement> Parse(string text, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        CommandTextCheck.RequireWellFormedUtf16(text);
        var reader = ThreadParser.Rent(text);
        var tokens = reader.Tokens;
        tokens.Fill();
        DepthGuard.Check(tokens.GetTokens());

        var parser = reader.Parser;
        parser.TokenStream = tokens;
        parser.RemoveErrorListeners();
        if (cancellation.CanBeCanceled) parser.AddParseListener(new CancellationListener(cancellation));
        cancellation.ThrowIfCancellationRequested();
        var statements = SyntaxTreeBuilder.Build(ParseScript(parser));
        // Every expression node comes from at least one token of its own, so a script of fewer tokens
        // than the limits cannot exceed them, and the usual short command skips the tree walk.
        if (tokens.Size > SyntaxLimits.MaxDepth)
        {
            foreach (var statement in statements) SyntaxLimits.Check(statement);
        }
        reader.Return();
        return statements;
    }

    // The standard two-stage parse: SLL is faster and right for almost all input; only when it
    // fails does full LL run, and only LL's error (with exact expected tokens) is reported.
    private static StemeQLParser.ScriptContext ParseScript(StemeQLParser parser)
    {
        parser.Interpreter.PredictionMode = PredictionMode.SLL;
        parser.ErrorHandler = new BailErrorStrategy();
        try
        {
            return parser.script();
        }
        catch (ParseCanceledException)
        {
            parser.Reset();
            parser.Interpreter.PredictionMode = PredictionMode.LL;
            parser.ErrorHandler = new EagerErrorStrategy();
            parser.AddErrorListener(ThrowingErrorListener.Instance);
            return parser.script();
        }
    }
}
