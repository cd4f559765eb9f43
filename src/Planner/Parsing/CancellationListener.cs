using Antlr4.Runtime;
using Antlr4.Runtime.Tree;

namespace StemeQL.Planner.Parsing;

/// <summary>Stops a parse when its command is cancelled or times out, checked as each rule is entered.</summary>
internal sealed class CancellationListener(CancellationToken cancellation) : IParseTreeListener
{
    public void EnterEveryRule(ParserRuleContext ctx) => cancellation.ThrowIfCancellationRequested();

    public void ExitEveryRule(ParserRuleContext ctx) { }

    public void VisitErrorNode(IErrorNode node) { }

    public void VisitTerminal(ITerminalNode node) { }
}
