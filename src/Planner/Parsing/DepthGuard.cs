using Antlr4.Runtime;
using StemeQL.Planner.Parsing.Generated;

namespace StemeQL.Planner.Parsing;

/// <summary>
/// Rejects deeply nested input before the recursive-descent parser (and every tree walker after it)
/// can overflow the stack: each open parenthesis, each <c>CASE</c> (closed by its <c>END</c>) and each chained
/// prefix NOT or minus is a level.
/// </summary>
internal static class DepthGuard
{
    /// <summary>The deepest nesting accepted.</summary>
    public const int MaxDepth = 200;

    public static void Check(IList<IToken> tokens)
    {
        var outer = new Stack<int>();
        int depth = 0;   // levels opened by the parentheses around the current token
        int prefix = 0;  // NOT / minus operators directly before the current token
        foreach (var token in tokens)
        {
            if (token.Channel != TokenConstants.DefaultChannel) continue;
            switch (token.Type)
            {
                case StemeQLLexer.LPAREN or StemeQLLexer.CASE:
                    outer.Push(depth);
                    depth += prefix + 1;
                    prefix = 0;
                    break;
                case StemeQLLexer.RPAREN or StemeQLLexer.END:
                    if (outer.Count > 0) depth = outer.Pop();
                    prefix = 0;
                    break;
                case StemeQLLexer.NOT or StemeQLLexer.MINUS:
                    prefix++;
                    break;
                default:
                    prefix = 0;
                    break;
            }
            if (depth + prefix > MaxDepth)
            {
                throw SyntaxErrors.At(token, $"expression nested too deeply (more than {MaxDepth} levels)", []);
            }
        }
    }
}
