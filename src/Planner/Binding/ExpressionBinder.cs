using StemeQL.Planner.Binding.Bound;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Binding;

/// <summary>
/// Binds syntax-tree expressions to <see cref="Scalar"/>s in a <see cref="Scope"/>: resolves columns to
/// ordinals and functions to implementations, and rejects at bind time what can never run (an unknown
/// name, text in arithmetic, a wrong number of arguments). Recursion follows the tree's depth, which the
/// parser bounds; AND / OR chains are flat and bound in a loop.
/// </summary>
internal sealed class ExpressionBinder(Scope scope)
{
    /// <summary>Binds <paramref name="expression"/>.</summary>
    public Scalar Bind(Expression expression)
    {
        if (scope.TryResolve(expression, out var resolved)) return resolved!;
        return expression switch
        {
            LiteralExpression literal => new LiteralScalar(literal.Value),
            ParameterExpression parameter => new ParameterScalar(parameter.Name),
            ColumnExpression column => scope.Column(column),
            UnaryExpression { Operator: UnaryOperator.Not } not => new NotScalar(Condition(not.Operand, "NOT")),
            UnaryExpression negate => new NegateScalar(Numeric(negate.Operand, negate, "-")),
            LogicalExpression logical => Logical(logical),
            BinaryExpression { Operator: BinaryOperator.Concat } concat => new ConcatScalar(Bind(concat.Left), Bind(concat.Right)),
            BinaryExpression binary when IsArithmetic(binary.Operator) => new ArithmeticScalar(binary.Operator,
                Numeric(binary.Left, binary, Symbol(binary.Operator)), Numeric(binary.Right, binary, Symbol(binary.Operator)), binary),
            BinaryExpression comparison => Comparison(comparison),
            InExpression @in => In(@in),
            LikeExpression like => new LikeScalar(Bind(like.Operand), Bind(like.Pattern), like.Negated),
            IsNullExpression isNull => new IsNullScalar(Bind(isNull.Operand), isNull.Negated),
            CaseExpression @case => Case(@case),
            FunctionCallExpression call => Call(call),
            _ => throw new StemeException(StemeErrorCode.NotSupported, $"The expression {expression.GetType().Name} is not supported here."),
        };
    }

    /// <summary>Binds a condition, refusing at bind time a type that is never true or false.</summary>
    public Scalar Condition(Expression expression, string clause)
    {
        var bound = Bind(expression);
        Truth.CheckCondition(bound, expression, clause);
        return bound;
    }

    // The clause name is made once per chain, not once per operand.
    private LogicalScalar Logical(LogicalExpression logical)
    {
        string clause = logical.Operator == LogicalOperator.And ? "AND" : "OR";
        var operands = new Scalar[logical.Operands.Count];
        for (int i = 0; i < operands.Length; i++) operands[i] = Condition(logical.Operands[i], clause);
        return new LogicalScalar(logical.Operator, operands);
    }

    private Scalar Numeric(Expression operand, Expression parent, string symbol)
    {
        var bound = Bind(operand);
        if (bound.Type is ColumnType.Text or ColumnType.Bytes or ColumnType.Boolean or ColumnType.Timestamp)
            throw SyntaxPositions.Error(parent, StemeErrorCode.TypeMismatch,
                $"'{symbol}' needs numbers, but {SyntaxPrinter.Print(operand)} is {bound.Type.ToString().ToLowerInvariant()}{(bound.Type == ColumnType.Text ? ": join text with ||" : "")}.");
        return bound;
    }

    private ComparisonScalar Comparison(BinaryExpression comparison)
    {
        var left = Bind(comparison.Left);
        var right = Bind(comparison.Right);
        if (IsHash(left)) right = new HashTextScalar(right);
        else if (IsHash(right)) left = new HashTextScalar(left);
        return new ComparisonScalar(comparison.Operator, left, right);
    }

    private InScalar In(InExpression @in)
    {
        var operand = Bind(@in.Operand);
        var values = @in.Values.Select(Bind);
        if (IsHash(operand)) values = values.Select(v => (Scalar)new HashTextScalar(v));
        return new InScalar(operand, [.. values], @in.Negated);
    }

    private static bool IsHash(Scalar scalar) => scalar is ColumnScalar { IsHash: true };

    private CaseScalar Case(CaseExpression @case)
    {
        var operand = @case.Operand is null ? null : Bind(@case.Operand);
        var conditions = @case.Whens.Select(w => operand is null
            ? Condition(w.When, "CASE WHEN")
            : new ComparisonScalar(BinaryOperator.Equal, operand, Bind(w.When))).ToArray();
        var results = @case.Whens.Select(w => Bind(w.Then)).ToArray();
        return new CaseScalar(conditions, results, @case.Else is null ? null : Bind(@case.Else));
    }

    private Scalar Call(FunctionCallExpression call)
    {
        if (Aggregates.IsAggregate(call.Name)) return scope.Aggregate(call);
        if (!ScalarFunctions.ByName.TryGetValue(call.Name, out var function))
            throw SyntaxPositions.Error(call, StemeErrorCode.UnknownFunction,
                $"There is no function '{call.Name}': use one of {string.Join(", ", ScalarFunctions.ByName.Keys.Concat(Aggregates.Names).Order(StringComparer.Ordinal))}.");
        if (call.Star || call.Distinct)
            throw SyntaxPositions.Error(call, StemeErrorCode.InvalidGrouping,
                $"{function.Name} is not an aggregate, so it takes neither * nor DISTINCT: write {function.Usage}.");
        if (call.Arguments.Count < function.MinArgs || call.Arguments.Count > function.MaxArgs)
            throw SyntaxPositions.Error(call, StemeErrorCode.TypeMismatch,
                $"{function.Name} does not take {call.Arguments.Count} argument{(call.Arguments.Count == 1 ? "" : "s")}: write {function.Usage}.");
        return new FunctionScalar(function, [.. call.Arguments.Select(Bind)]);
    }

    private static bool IsArithmetic(BinaryOperator op) =>
        op is BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply or BinaryOperator.Divide or BinaryOperator.Modulo;

    private static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        _ => "%",
    };
}
