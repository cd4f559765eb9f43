using Antlr4.Runtime;

namespace StemeQL.Planner.Parsing;

/// <summary>
/// The error strategy of the LL pass. ANTLR's default <see cref="DefaultErrorStrategy.Sync"/> lets a
/// loop or optional clause exit on any token, so in <c>WHERE a = 1 b</c> the error surfaces only at the
/// end of the statement, expecting just <c>';'</c>. Checking the token against everything that may follow
/// in the full context instead reports it where all continuations (AND, OR, ORDER, ...) are known.
/// </summary>
internal sealed class EagerErrorStrategy : DefaultErrorStrategy
{
    public override void Sync(Parser recognizer)
    {
        if (!recognizer.GetExpectedTokens().Contains(recognizer.InputStream.LA(1)))
        {
            throw new InputMismatchException(recognizer);
        }
    }
}
