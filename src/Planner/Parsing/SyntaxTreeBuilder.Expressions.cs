using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using StemeQL.Planner.Syntax;
using static StemeQL.Planner.Parsing.Generated.StemeQLParser;

namespace StemeQL.Planner.Parsing;

// Expressions. The grammar parses each chain of operators as one flat loop (one context per chain,
// not one per precedence level), so precedence is applied here, iteratively: no chain length costs
// stack, and only parentheses, which the DepthGuard bounds, recurse.
internal static partial class SyntaxTreeBuilder
{
    // NOT* arithmetic predicate? ((AND | OR) NOT* arithmetic predicate?)*: runs of AND-joined conditions
    // are the operands of OR.
    private static Expression Expr(ExprContext context)
    {
        if (context.ChildCount == 1) return Arithmetic((ArithmeticContext)context.GetChild(0));
        int next = 0;
        List<Expression>? disjuncts = null;
        var conjuncts = new List<Expression> { Condition(context, ref next) };
        while (next < context.ChildCount)
        {
            if (((ITerminalNode)context.GetChild(next++)).Symbol.Type == OR)
            {
                (disjuncts ??= []).Add(LogicalExpression.Join(LogicalOperator.And, conjuncts));
                conjuncts.Clear();
            }
            conjuncts.Add(Condition(context, ref next));
        }
        var last = Chain(LogicalOperator.And, conjuncts, context.Start);
        if (disjuncts is null) return last;
        disjuncts.Add(last);
        return Chain(LogicalOperator.Or, disjuncts, context.Start);
    }

    // A chain of one is its operand, which keeps its own position; a longer chain starts where its first operand does.
    private static Expression Chain(LogicalOperator op, List<Expression> operands, IToken start)
    {
        var chain = LogicalExpression.Join(op, operands);
        return chain.Position is null ? At(chain, start) : chain;
    }

    // One condition from `next`: its NOTs, its operand and its predicate, if any. The NOTs apply to the
    // whole condition.
    private static Expression Condition(ExprContext context, ref int next)
    {
        int firstNot = next, nots = 0;
        while (context.GetChild(next) is ITerminalNode)
        {
            nots++;
            next++;
        }
        var left = (ArithmeticContext)context.GetChild(next++);
        Expression result;
        if (next < context.ChildCount && context.GetChild(next) is PredicateContext predicate)
        {
            next++;
            result = Predicate(left, predicate);
        }
        else
        {
            result = Arithmetic(left);
        }
        for (int i = firstNot + nots - 1; i >= firstNot; i--)
            result = At(new UnaryExpression(UnaryOperator.Not, result), ((ITerminalNode)context.GetChild(i)).Symbol);
        return result;
    }

    private static Expression Predicate(ArithmeticContext leftContext, PredicateContext context)
    {
        var left = Arithmetic(leftContext);
        bool negated = context.negated is not null;
        if (context.comparison is { } op) return At(new BinaryExpression(Comparison(op.Type), left, Arithmetic(context.right)), leftContext.Start);
        if (context.pattern is not null) return At(new LikeExpression(left, Arithmetic(context.pattern), negated), leftContext.Start);
        if (context.IS() is not null) return At(new IsNullExpression(left, negated), leftContext.Start);
        return At(new InExpression(left, ListOf(context.expr(), Expr), negated), leftContext.Start);
    }

    // MINUS* primary (operator MINUS* primary)*: * / % bind tighter than + - ||, and both associate
    // to the left. `sum` holds the additive operands folded so far, `term` the multiplicative run.
    private static Expression Arithmetic(ArithmeticContext context)
    {
        if (context.ChildCount == 1) return Primary((PrimaryContext)context.GetChild(0));
        int next = 0;
        var term = Operand(context, ref next);
        Expression? sum = null;
        IToken? sumOperator = null;
        while (next < context.ChildCount)
        {
            var op = ((ITerminalNode)context.GetChild(next++)).Symbol;
            var operand = Operand(context, ref next);
            if (op.Type is STAR or SLASH or PERCENT)
            {
                term = At(new BinaryExpression(Arithmetic(op.Type), term, operand), op);
                continue;
            }
            sum = sumOperator is null ? term : At(new BinaryExpression(Arithmetic(sumOperator.Type), sum!, term), sumOperator);
            sumOperator = op;
            term = operand;
        }
        return sumOperator is null ? term : At(new BinaryExpression(Arithmetic(sumOperator.Type), sum!, term), sumOperator);
    }

    // One operand: the minus signs from `next` up to its primary, then the primary.
    private static Expression Operand(ArithmeticContext context, ref int next)
    {
        int firstMinus = next;
        while (context.GetChild(next) is ITerminalNode) next++;
        var primary = (PrimaryContext)context.GetChild(next);
        int minus = next - firstMinus;
        next++;
        Expression result;
        // -7 is a negative literal, not a negation, so that printed trees parse back the same;
        // -(7) stays a negation because the parentheses make the operand an expression.
        if (minus > 0 && primary.GetChild(0) is LiteralContext literal && literal.Start.Type is INTEGER or REAL)
        {
            result = At(new LiteralExpression(Literals.Number(literal.Start, negative: true)), ((ITerminalNode)context.GetChild(next - 2)).Symbol);
            minus--;
        }
        else
        {
            result = Primary(primary);
        }
        for (int i = firstMinus + minus - 1; i >= firstMinus; i--)
        {
            result = At(new UnaryExpression(UnaryOperator.Negate, result), ((ITerminalNode)context.GetChild(i)).Symbol);
        }
        return result;
    }

    // primary: literal | PARAMETER | identifier ('(' callArguments? ')')? | caseExpression | '(' expr ')'
    private static Expression Primary(PrimaryContext context) => context.GetChild(0) switch
    {
        LiteralContext literal => At(new LiteralExpression(Literals.Value(literal.Start)), literal.Start),
        IdentifierContext identifier => context.ChildCount == 1
            ? At(new ColumnExpression(Name(identifier)), context.Start)
            : Call(identifier, context.GetChild(2) as CallArgumentsContext, context.Start),
        CaseExpressionContext @case => At(Case(@case), @case.Start),
        ITerminalNode { Symbol.Type: PARAMETER } parameter => Parameter(parameter.Symbol),
        _ => Expr((ExprContext)context.GetChild(1)),
    };

    private static FunctionCallExpression Call(IdentifierContext name, CallArgumentsContext? args, IToken start) => At(new FunctionCallExpression(
        Name(name),
        args?.expr() is { Length: > 0 } list ? ListOf(list, Expr) : SyntaxList<Expression>.Empty,
        Distinct: args?.DISTINCT() is not null,
        Star: args?.STAR() is not null), start);

    private static CaseExpression Case(CaseExpressionContext context) => new(
        context.operandExpr is null ? null : Expr(context.operandExpr),
        ListOf(context.whenClause(), w => new WhenClause(Expr(w.when), Expr(w.then))),
        context.elseExpr is null ? null : Expr(context.elseExpr));

    private static T At<T>(T node, IToken token) where T : Expression
    {
        SyntaxPositions.Set(node, token.Line, token.Column);
        return node;
    }

    private static BinaryOperator Comparison(int tokenType) => tokenType switch
    {
        EQ => BinaryOperator.Equal,
        NEQ => BinaryOperator.NotEqual,
        LT => BinaryOperator.LessThan,
        LE => BinaryOperator.LessThanOrEqual,
        GT => BinaryOperator.GreaterThan,
        _ => BinaryOperator.GreaterThanOrEqual,
    };

    private static BinaryOperator Arithmetic(int tokenType) => tokenType switch
    {
        PLUS => BinaryOperator.Add,
        MINUS => BinaryOperator.Subtract,
        CONCAT => BinaryOperator.Concat,
        STAR => BinaryOperator.Multiply,
        SLASH => BinaryOperator.Divide,
        _ => BinaryOperator.Modulo,
    };
}
