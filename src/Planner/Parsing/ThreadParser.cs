using Antlr4.Runtime;
using StemeQL.Planner.Parsing.Generated;

namespace StemeQL.Planner.Parsing;

/// <summary>
/// A lexer, token stream and parser that a thread keeps and resets for each command, instead of
/// building the three (and their simulators) on every parse. The prediction caches they use are static,
/// shared by every instance either way. Only one that finished a parse of a short command is kept, so an
/// error or cancellation never leaves state behind and a huge command's token buffer is not held.
/// </summary>
internal sealed class ThreadParser
{
    // Beyond this many tokens the buffers are not worth keeping between commands.
    private const int MaxKeptTokens = 4_096;

    [ThreadStatic] private static ThreadParser? t_idle;

    private ThreadParser()
    {
        Lexer = new StemeQLLexer(CharStreams.fromString(""));
        Lexer.RemoveErrorListeners();
        Lexer.AddErrorListener(ThrowingErrorListener.Instance);
        Tokens = new CommonTokenStream(Lexer);
        Parser = new StemeQLParser(Tokens);
    }

    public StemeQLLexer Lexer { get; }

    public CommonTokenStream Tokens { get; }

    public StemeQLParser Parser { get; }

    /// <summary>This thread's idle instance, or a new one, ready to read <paramref name="text"/>.</summary>
    public static ThreadParser Rent(string text)
    {
        var reader = t_idle ?? new ThreadParser();
        t_idle = null;
        reader.Lexer.SetInputStream(CharStreams.fromString(text));
        reader.Tokens.SetTokenSource(reader.Lexer);
        return reader;
    }

    /// <summary>Gives the instance back after a parse that succeeded, dropping its hold on the command.</summary>
    public void Return()
    {
        bool keep = Tokens.Size <= MaxKeptTokens;
        Lexer.SetInputStream(CharStreams.fromString(""));
        Tokens.SetTokenSource(Lexer);
        Parser.TokenStream = Tokens;
        Parser.RemoveParseListeners();
        if (keep) t_idle = this;
    }
}
