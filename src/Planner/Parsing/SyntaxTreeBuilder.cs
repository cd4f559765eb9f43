using Antlr4.Runtime.Tree;
using StemeQL.Planner.Parsing.Generated;
using StemeQL.Planner.Syntax;
using static StemeQL.Planner.Parsing.Generated.StemeQLParser;

namespace StemeQL.Planner.Parsing;

/// <summary>Turns ANTLR's parse tree into the immutable syntax tree of <see cref="Syntax"/>.</summary>
internal sealed partial class SyntaxTreeBuilder : StemeQLBaseVisitor<object>
{
    private static readonly SyntaxTreeBuilder Instance = new();

    public static IReadOnlyList<Statement> Build(ScriptContext script) =>
        [.. script.statement().Select(s => (Statement)Instance.Visit(s))];

    public override object VisitStatement(StatementContext context) => Visit(context.GetChild(0));

    public override object VisitAssertStatement(AssertStatementContext context) => new AssertStatement(
        ListOf(context.assertTuple(), t => new AssertTuple(Value(t.subj), Value(t.pred), Value(t.obj))),
        OptionalValue(context.epoch),
        OptionalValue(context.confidence),
        ListOf(context._derived, Value));

    public override object VisitVoteStatement(VoteStatementContext context) =>
        new VoteStatement(Value(context.assertion), OptionalValue(context.weight));

    public override object VisitExplainStatement(ExplainStatementContext context) =>
        new ExplainStatement((SelectStatement)Visit(context.selectStatement()), context.ANALYZE() is not null);

    public override object VisitSelectStatement(SelectStatementContext context)
    {
        var columns = context.STAR() is null ? ListOf(context.selectItem(), Item) : null;
        var lens = context.lensClause() is { } l
            ? new LensClause(Name(l.name), ListOf(l.lensOption(), o => new LensOption(Name(o.name), Value(o.value()))))
            : null;
        var asOf = context.asOfClause() is { } a
            ? new AsOfClause(a.kind.Type == LSN ? AsOfKind.Lsn : AsOfKind.Timestamp, Value(a.value()))
            : null;
        var limit = context.limitClause();
        return new SelectStatement(
            columns,
            context.relation is null ? null : Name(context.relation),
            lens,
            asOf,
            context.where is null ? null : Expr(context.where),
            ListOf(context.orderItem(), o => new OrderItem(Expr(o.expr()), o.direction?.Type == DESC)),
            OptionalValue(limit?.limit),
            OptionalValue(limit?.offset))
        {
            Distinct = context.DISTINCT() is not null,
            GroupBy = ListOf(context._groupItems, Expr),
            Having = context.having is null ? null : Expr(context.having),
        };
    }

    private SelectItem Item(SelectItemContext item)
    {
        string? alias = item.alias is not null ? Name(item.alias)
            : item.bare is not null ? item.bare.Text
            : item.quoted is not null ? Literals.Unquote(item.quoted.Text, '"')
            : null;
        return new SelectItem(Expr(item.expr()), alias);
    }

    private Expression Expr(IParseTree tree) => (Expression)Visit(tree);

    private static Expression? OptionalValue(ValueContext? value) => value is null ? null : Value(value);

    private static Expression Value(ValueContext value)
    {
        if (value.literal() is { } literal) return new LiteralExpression(Literals.Value(literal.Start));
        if (value.PARAMETER() is { } parameter) return Parameter(parameter);
        return new LiteralExpression(Literals.Number(value.number, negative: true));
    }

    private static ParameterExpression Parameter(ITerminalNode node) => new(node.GetText()[1..]);

    // An identifier is always one token; its text is read from the token rather than by GetText,
    // which concatenates the children through a StringBuilder.
    private static string Name(IdentifierContext identifier) => identifier.Start.Type == QUOTED_IDENTIFIER
        ? Literals.Unquote(identifier.Start.Text, '"')
        : identifier.Start.Text;

    private static SyntaxList<TResult> ListOf<TSource, TResult>(IEnumerable<TSource> items, Func<TSource, TResult> build) =>
        new(items.Select(build));
}
