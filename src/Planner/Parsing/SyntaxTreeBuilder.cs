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

    // Most expressions are one term at most levels of the precedence chain (a column is an expr of one
    // andExpr of one notExpr ...): such a level passes its only child through without building lists.
    public override object VisitExpr(ExprContext context) => context.ChildCount == 1
        ? Visit(context.GetChild(0))
        : LogicalExpression.Join(LogicalOperator.Or, context.andExpr().Select(Expr));

    public override object VisitAndExpr(AndExprContext context) => context.ChildCount == 1
        ? Visit(context.GetChild(0))
        : LogicalExpression.Join(LogicalOperator.And, context.notExpr().Select(Expr));

    public override object VisitNotExpr(NotExprContext context) => context.NOT() is null
        ? Visit(context.predicate())
        : new UnaryExpression(UnaryOperator.Not, Expr(context.notExpr()));

    public override object VisitPredicate(PredicateContext context)
    {
        if (context.ChildCount == 1) return Visit(context.left);
        var left = Expr(context.left);
        bool negated = context.negated is not null;
        if (context.comparisonOperator() is { } op) return At(new BinaryExpression(Operator(op), left, Expr(context.right)), context);
        if (context.IN() is not null) return new InExpression(left, ListOf(context.expr(), Expr), negated);
        if (context.LIKE() is not null) return new LikeExpression(left, Expr(context.pattern), negated);
        if (context.IS() is not null) return new IsNullExpression(left, negated);
        return left;
    }

    public override object VisitAdditive(AdditiveContext context)
    {
        if (context.ChildCount == 1) return Visit(context.GetChild(0));
        var operands = context.multiplicative();
        var result = Expr(operands[0]);
        var operators = context.additiveOperator();
        for (int i = 0; i < operators.Length; i++)
        {
            var op = operators[i].Start.Type switch
            {
                PLUS => BinaryOperator.Add,
                MINUS => BinaryOperator.Subtract,
                _ => BinaryOperator.Concat,
            };
            result = At(new BinaryExpression(op, result, Expr(operands[i + 1])), operators[i]);
        }
        return result;
    }

    public override object VisitMultiplicative(MultiplicativeContext context)
    {
        if (context.ChildCount == 1) return Visit(context.GetChild(0));
        var operands = context.operand();
        var result = Expr(operands[0]);
        var operators = context.multiplicativeOperator();
        for (int i = 0; i < operators.Length; i++)
        {
            var op = operators[i].Start.Type switch
            {
                STAR => BinaryOperator.Multiply,
                SLASH => BinaryOperator.Divide,
                _ => BinaryOperator.Modulo,
            };
            result = At(new BinaryExpression(op, result, Expr(operands[i + 1])), operators[i]);
        }
        return result;
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
        return At(new UnaryExpression(UnaryOperator.Negate, Expr(context.operand())), context);
    }

    public override object VisitPrimary(PrimaryContext context)
    {
        if (context.literal() is { } literal) return new LiteralExpression(Literals.Value(literal.Start));
        if (context.PARAMETER() is { } parameter) return Parameter(parameter);
        if (context.caseExpression() is { } @case) return Case(@case);
        if (context.identifier() is { } identifier)
        {
            if (context.LPAREN() is null) return At(new ColumnExpression(Name(identifier)), context);
            var args = context.callArguments();
            return At(new FunctionCallExpression(
                Name(identifier),
                args?.expr() is { Length: > 0 } list ? ListOf(list, Expr) : SyntaxList<Expression>.Empty,
                Distinct: args?.DISTINCT() is not null,
                Star: args?.STAR() is not null), context);
        }
        return Visit(context.expr());
    }

    private CaseExpression Case(CaseExpressionContext context) => new(
        context.operandExpr is null ? null : Expr(context.operandExpr),
        ListOf(context.whenClause(), w => new WhenClause(Expr(w.when), Expr(w.then))),
        context.elseExpr is null ? null : Expr(context.elseExpr));

    private static T At<T>(T node, Antlr4.Runtime.ParserRuleContext context) where T : Expression
    {
        SyntaxPositions.Set(node, context.Start.Line, context.Start.Column);
        return node;
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

    // An identifier is always one token; its text is read from the token rather than by GetText,
    // which concatenates the children through a StringBuilder.
    private static string Name(IdentifierContext identifier) => identifier.Start.Type == QUOTED_IDENTIFIER
        ? Literals.Unquote(identifier.Start.Text, '"')
        : identifier.Start.Text;

    private static SyntaxList<TResult> ListOf<TSource, TResult>(IEnumerable<TSource> items, Func<TSource, TResult> build) =>
        new(items.Select(build));
}
