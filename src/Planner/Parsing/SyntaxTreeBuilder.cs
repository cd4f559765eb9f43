using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using StemeQL.Planner.Syntax;
using static StemeQL.Planner.Parsing.Generated.StemeQLParser;

namespace StemeQL.Planner.Parsing;

/// <summary>
/// Turns ANTLR's parse tree into the immutable syntax tree of <see cref="Syntax"/>. It calls a typed
/// method per rule and reads each context's children once, rather than visiting through the generated
/// visitor and the accessors (each accessor call scans every child of its context, with a type test each).
/// </summary>
internal static partial class SyntaxTreeBuilder
{
    public static IReadOnlyList<Statement> Build(ScriptContext script)
    {
        var statements = new List<Statement>(1);
        for (int i = 0; i < script.ChildCount; i++)
        {
            if (script.GetChild(i) is StatementContext statement) statements.Add(Statement(statement));
        }
        return statements;
    }

    private static Statement Statement(StatementContext context) => context.GetChild(0) switch
    {
        SelectStatementContext select => Select(select),
        AssertStatementContext assert => Assert(assert),
        VoteStatementContext vote => new VoteStatement(Value(vote.assertion), OptionalValue(vote.weight)),
        var explain => Explain((ExplainStatementContext)explain),
    };

    private static AssertStatement Assert(AssertStatementContext context) => new(
        ListOf(context.assertTuple(), t => new AssertTuple(Value(t.subj), Value(t.pred), Value(t.obj))),
        OptionalValue(context.epoch),
        OptionalValue(context.confidence),
        ListOf(context._derived, Value));

    private static ExplainStatement Explain(ExplainStatementContext context) =>
        new(Select(context.selectStatement()), context.ANALYZE() is not null);

    private static SelectStatement Select(SelectStatementContext context)
    {
        // Children are read in one pass; clauses are built in the order they always were, so that of
        // two bad literals (x'abc') the same one is reported.
        var items = new List<SelectItem>();
        var orderItems = new List<OrderItemContext>();
        bool star = false, distinct = false;
        LensClause? lens = null;
        AsOfClause? asOf = null;
        LimitClauseContext? limit = null;
        for (int i = 0; i < context.ChildCount; i++)
        {
            switch (context.GetChild(i))
            {
                case SelectItemContext item: items.Add(Item(item)); break;
                case OrderItemContext order: orderItems.Add(order); break;
                case LensClauseContext l: lens = new LensClause(Name(l.name), ListOf(l.lensOption(), o => new LensOption(Name(o.name), Value(o.value())))); break;
                case AsOfClauseContext a: asOf = new AsOfClause(a.kind.Type == LSN ? AsOfKind.Lsn : AsOfKind.Timestamp, Value(a.value())); break;
                case LimitClauseContext l: limit = l; break;
                case ITerminalNode { Symbol.Type: STAR }: star = true; break;
                case ITerminalNode { Symbol.Type: DISTINCT }: distinct = true; break;
            }
        }
        var where = context.where is null ? null : Expr(context.where);
        var orderBy = orderItems.Count == 0 ? SyntaxList<OrderItem>.Empty
            : ListOf(orderItems, o => new OrderItem(Expr((ExprContext)o.GetChild(0)), o.direction?.Type == DESC));
        return new SelectStatement(
            star ? null : new SyntaxList<SelectItem>(items),
            context.relation is null ? null : Name(context.relation),
            lens,
            asOf,
            where,
            orderBy,
            OptionalValue(limit?.limit),
            OptionalValue(limit?.offset))
        {
            Distinct = distinct,
            GroupBy = context._groupItems.Count == 0 ? SyntaxList<Expression>.Empty : ListOf(context._groupItems, Expr),
            Having = context.having is null ? null : Expr(context.having),
        };
    }

    private static SelectItem Item(SelectItemContext item)
    {
        string? alias = item.alias is not null ? Name(item.alias)
            : item.bare is not null ? item.bare.Text
            : item.quoted is not null ? Literals.Unquote(item.quoted.Text, '"')
            : null;
        return new SelectItem(Expr((ExprContext)item.GetChild(0)), alias);
    }

    private static Expression? OptionalValue(ValueContext? value) => value is null ? null : Value(value);

    private static Expression Value(ValueContext value) => value.GetChild(0) switch
    {
        LiteralContext literal => At(new LiteralExpression(Literals.Value(literal.Start)), literal.Start),
        ITerminalNode { Symbol.Type: PARAMETER } parameter => Parameter(parameter.Symbol),
        _ => At(new LiteralExpression(Literals.Number(value.number, negative: true)), value.Start),
    };

    private static ParameterExpression Parameter(IToken token) => At(new ParameterExpression(token.Text[1..]), token);

    // An identifier is always one token; its text is read from the token rather than by GetText,
    // which concatenates the children through a StringBuilder.
    private static string Name(IdentifierContext identifier) => identifier.Start.Type == QUOTED_IDENTIFIER
        ? Literals.Unquote(identifier.Start.Text, '"')
        : identifier.Start.Text;

    private static SyntaxList<TResult> ListOf<TSource, TResult>(IEnumerable<TSource> items, Func<TSource, TResult> build) =>
        new(items.Select(build));
}
