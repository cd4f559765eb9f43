using Antlr4.Runtime.Tree;
using StemeQL.Planner.Parsing.Generated;
using StemeQL.Planner.Syntax;
using static StemeQL.Planner.Parsing.Generated.StemeQLParser;

namespace StemeQL.Planner.Parsing;

/// <summary>Turns ANTLR's parse tree into the immutable syntax tree of <see cref="Syntax"/>.</summary>
internal sealed class SyntaxTreeBuilder : StemeQLBaseVisitor<object>
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
        new ExplainStatement((SelectStatement)Visit(context.selectStatement()));

    public override object VisitSelectStatement(SelectStatementContext context)
    {
        var columns = context.STAR() is null
            ? ListOf(context.selectItem(), i => new SelectItem(Name(i.column), i.alias is null ? null : Name(i.alias)))
            : null;
        var lens = context.lensClause() is { } l
            ? new LensClause(Name(l.name), ListOf(l.lensOption(), o => new LensOption(Name(o.name), Value(o.value()))))
            : null;
        var asOf = context.asOfClause() is { } a
            ? new AsOfClause(a.kind.Type == LSN ? AsOfKind.Lsn : AsOfKind.Timestamp, Value(a.value()))
            : null;
        var limit = context.limitClause();
        return new SelectStatement(
            columns,
            Name(context.relation),
            lens,
            asOf,
            context.where is null ? null : Expr(context.where),
            ListOf(context.orderItem(), o => new OrderItem(Expr(o.expr()), o.direction?.Type == DESC)),
            OptionalValue(limit?.limit),
            OptionalValue(limit?.offset));
    }

    public override object VisitExpr(ExprContext context) =>
        context.andExpr().Select(Expr).Aggregate((left, right) => new BinaryExpression(BinaryOperator.Or, left, right));

    public override object VisitAndExpr(AndExprContext context) =>
        context.notExpr().Select(Expr).Aggregate((left, right) => new BinaryExpression(BinaryOperator.And, left, right));

    public override object VisitNotExpr(NotExprContext context) => context.NOT() is null
        ? Visit(context.predicate())
        : new UnaryExpression(UnaryOperator.Not, Expr(context.notExpr()));

    public override object VisitPredicate(PredicateContext context)
    {
        var left = Expr(context.left);
        bool negated = context.negated is not null;
        if (context.comparisonOperator() is { } op) return new BinaryExpression(Operator(op), left, Expr(context.right));
        if (context.IN() is not null) return new InExpression(left, ListOf(context.expr(), Expr), negated);
        if (context.LIKE() is not null) return new LikeExpression(left, Expr(context.pattern), negated);
        if (context.IS() is not null) return new IsNullExpression(left, negated);
        return left;
    }

    public override object VisitOperand(OperandContext context)
    {
        if (context.MINUS() is null) return Visit(context.primary());
        // -7 is a negative literal, not a negation, so that printed trees parse back the same;
        // -(7) stays a negation because the parentheses make the operand an expression.
        if (context.operand().primary()?.literal() is { } literal && literal.Start.Type is INTEGER or REAL)
        {
            return new LiteralExpression(Literals.Number(literal.Start, negative: true));
        }
        return new UnaryExpression(UnaryOperator.Negate, Expr(context.operand()));
    }

    public override object VisitPrimary(PrimaryContext context)
    {
        if (context.literal() is { } literal) return new LiteralExpression(Literals.Value(literal.Start));
        if (context.PARAMETER() is { } parameter) return Parameter(parameter);
        if (context.identifier() is { } identifier) return new ColumnExpression(Name(identifier));
        return Visit(context.expr());
    }

    private static BinaryOperator Operator(ComparisonOperatorContext op) => op.Start.Type switch
    {
        EQ => BinaryOperator.Equal,
        NEQ => BinaryOperator.NotEqual,
        LT => BinaryOperator.LessThan,
        LE => BinaryOperator.LessThanOrEqual,
        GT => BinaryOperator.GreaterThan,
        _ => BinaryOperator.GreaterThanOrEqual,
    };

    private Expression Expr(IParseTree tree) => (Expression)Visit(tree);

    private static Expression? OptionalValue(ValueContext? value) => value is null ? null : Value(value);

    private static Expression Value(ValueContext value)
    {
        if (value.literal() is { } literal) return new LiteralExpression(Literals.Value(literal.Start));
        if (value.PARAMETER() is { } parameter) return Parameter(parameter);
        return new LiteralExpression(Literals.Number(value.number, negative: true));
    }

    private static ParameterExpression Parameter(ITerminalNode node) => new(node.GetText()[1..]);

    private static string Name(IdentifierContext identifier) => identifier.QUOTED_IDENTIFIER() is { } quoted
        ? Literals.Unquote(quoted.GetText(), '"')
        : identifier.GetText();

    private static SyntaxList<TResult> ListOf<TSource, TResult>(IEnumerable<TSource> items, Func<TSource, TResult> build) =>
        new(items.Select(build));
}
