using StemeQL.Core.Model;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Binding;

/// <summary>
/// Evaluates expressions with SQL's three-valued logic: a comparison with NULL, or between kinds that
/// do not compare (text and a number), is unknown (NULL), and WHERE keeps only rows that are TRUE.
/// </summary>
internal sealed class ExpressionEvaluator(Relation? relation, ParameterValues parameters)
{
    /// <summary>Evaluates an expression that refers to no column (a statement argument).</summary>
    public static StemeValue Constant(Expression expression, ParameterValues parameters) => expression switch
    {
        // The usual arguments, answered without an evaluator: batches evaluate millions of them.
        LiteralExpression literal => literal.Value,
        ParameterExpression parameter => parameters.Get(parameter.Name),
        _ => new ExpressionEvaluator(null, parameters).Evaluate(expression, []),
    };

    /// <summary>True when <paramref name="expression"/> is TRUE for <paramref name="row"/>.</summary>
    public bool IsTrue(Expression expression, StemeValue[] row) =>
        Evaluate(expression, row) is { Kind: ValueKind.Boolean } result && result.AsBoolean;

    /// <summary>The value of <paramref name="expression"/> for <paramref name="row"/>.</summary>
    public StemeValue Evaluate(Expression expression, StemeValue[] row) => expression switch
    {
        LiteralExpression literal => literal.Value,
        ParameterExpression parameter => parameters.Get(parameter.Name),
        ColumnExpression column => relation is null
            ? throw new StemeException(StemeErrorCode.UnknownColumn,
                $"'{column.Name}' cannot be used here: a statement argument is a literal or an @parameter.")
            : row[relation.Ordinal(column.Name)],
        UnaryExpression { Operator: UnaryOperator.Not } not => Not(Evaluate(not.Operand, row)),
        UnaryExpression negate => Negate(Evaluate(negate.Operand, row)),
        BinaryExpression { Operator: BinaryOperator.And } and => And(and, row),
        BinaryExpression { Operator: BinaryOperator.Or } or => Or(or, row),
        BinaryExpression comparison => Compare(comparison.Operator, Evaluate(comparison.Left, row), Evaluate(comparison.Right, row)),
        InExpression @in => In(@in, row),
        LikeExpression like => Like(like, row),
        IsNullExpression isNull => StemeValue.Boolean(Evaluate(isNull.Operand, row).IsNull != isNull.Negated),
        _ => throw new StemeException(StemeErrorCode.NotSupported, $"The expression {expression} is not supported."),
    };

    private static StemeValue Not(StemeValue value) => value.IsNull ? value : StemeValue.Boolean(!Truth(value));

    private static StemeValue Negate(StemeValue value) => value.Kind switch
    {
        ValueKind.Null => value,
        ValueKind.Integer => StemeValue.Integer(-value.AsInteger),
        ValueKind.Real => StemeValue.Real(-value.AsReal),
        _ => throw new StemeException(StemeErrorCode.TypeMismatch, $"Only numbers can be negated, not the {value.Kind} {value}."),
    };

    private StemeValue And(BinaryExpression and, StemeValue[] row)
    {
        var left = Evaluate(and.Left, row);
        if (!left.IsNull && !Truth(left)) return StemeValue.Boolean(false);
        var right = Evaluate(and.Right, row);
        if (!right.IsNull && !Truth(right)) return StemeValue.Boolean(false);
        return left.IsNull || right.IsNull ? StemeValue.Null : StemeValue.Boolean(true);
    }

    private StemeValue Or(BinaryExpression or, StemeValue[] row)
    {
        var left = Evaluate(or.Left, row);
        if (!left.IsNull && Truth(left)) return StemeValue.Boolean(true);
        var right = Evaluate(or.Right, row);
        if (!right.IsNull && Truth(right)) return StemeValue.Boolean(true);
        return left.IsNull || right.IsNull ? StemeValue.Null : StemeValue.Boolean(false);
    }

    private static StemeValue Compare(BinaryOperator op, StemeValue left, StemeValue right)
    {
        int? order = left.CompareSql(right);
        if (order is not { } c) return StemeValue.Null;
        return StemeValue.Boolean(op switch
        {
            BinaryOperator.Equal => c == 0,
            BinaryOperator.NotEqual => c != 0,
            BinaryOperator.LessThan => c < 0,
            BinaryOperator.LessThanOrEqual => c <= 0,
            BinaryOperator.GreaterThan => c > 0,
            _ => c >= 0,
        });
    }

    private StemeValue In(InExpression @in, StemeValue[] row)
    {
        var operand = Evaluate(@in.Operand, row);
        if (operand.IsNull) return StemeValue.Null;
        bool sawNull = false;
        foreach (var item in @in.Values)
        {
            var value = Evaluate(item, row);
            int? order = operand.CompareSql(value);
            if (order == 0) return StemeValue.Boolean(!@in.Negated);
            sawNull |= value.IsNull;
        }
        return sawNull ? StemeValue.Null : StemeValue.Boolean(@in.Negated);
    }

    private StemeValue Like(LikeExpression like, StemeValue[] row)
    {
        var operand = Evaluate(like.Operand, row);
        var pattern = Evaluate(like.Pattern, row);
        if (operand.Kind != ValueKind.Text || pattern.Kind != ValueKind.Text) return StemeValue.Null;
        return StemeValue.Boolean(LikePattern.Matches(operand.AsText, pattern.AsText) != like.Negated);
    }

    private static bool Truth(StemeValue value) => value.Kind switch
    {
        ValueKind.Boolean => value.AsBoolean,
        ValueKind.Integer or ValueKind.Real => value.AsReal != 0,
        _ => throw new StemeException(StemeErrorCode.TypeMismatch,
            $"The {value.Kind} {value} is not a condition: compare it, for example column = value."),
    };
}
