using StemeQL.Core.Model;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Binding.Bound;

/// <summary>
/// <c>+ - * / %</c>: integers stay integers (division truncates, overflow is an error), a real on
/// either side gives a real, NULL gives NULL, and anything but a number is a type mismatch. Errors found while
/// evaluating name the operator's place in the command text (<paramref name="syntax"/>).
/// </summary>
internal sealed class ArithmeticScalar(BinaryOperator op, Scalar left, Scalar right, Expression syntax) : Scalar(Types.Arithmetic(left.Type, right.Type))
{
    public override StemeValue Eval(StemeValue[] row, ParameterValues parameters)
    {
        var a = left.Eval(row, parameters);
        var b = right.Eval(row, parameters);
        if (a.IsNull || b.IsNull) return StemeValue.Null;
        if (!a.IsNumeric || !b.IsNumeric)
        {
            var bad = a.IsNumeric ? b : a;
            throw SyntaxPositions.Error(syntax, StemeErrorCode.TypeMismatch,
                $"'{Symbol}' needs numbers, not the {bad.Kind.ToString().ToLowerInvariant()} {bad}: use || to join text.");
        }
        return a.Kind == ValueKind.Integer && b.Kind == ValueKind.Integer
            ? Integers(a.AsInteger, b.AsInteger)
            : Reals(a.AsReal, b.AsReal);
    }

    private StemeValue Integers(long a, long b)
    {
        try
        {
            return StemeValue.Integer(op switch
            {
                BinaryOperator.Add => checked(a + b),
                BinaryOperator.Subtract => checked(a - b),
                BinaryOperator.Multiply => checked(a * b),
                BinaryOperator.Divide => b == 0 ? throw DivisionByZero() : checked(a / b),
                _ => b == 0 ? throw DivisionByZero() : b == -1 ? 0 : a % b,
            });
        }
        catch (OverflowException)
        {
            throw SyntaxPositions.Error(syntax, StemeErrorCode.NumericOverflow,
                $"{a} {Symbol} {b} does not fit in a 64-bit integer: make one side real (for example {a}.0).");
        }
    }

    private StemeValue Reals(double a, double b) => StemeValue.Real(op switch
    {
        BinaryOperator.Add => a + b,
        BinaryOperator.Subtract => a - b,
        BinaryOperator.Multiply => a * b,
        BinaryOperator.Divide => b == 0 ? throw DivisionByZero() : a / b,
        _ => b == 0 ? throw DivisionByZero() : a % b,
    });

    private string Symbol => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        _ => "%",
    };

    private StemeException DivisionByZero() => SyntaxPositions.Error(syntax, StemeErrorCode.DivisionByZero,
        "Division by zero: guard the divisor, for example CASE WHEN d = 0 THEN NULL ELSE n / d END.");
}

/// <summary>Unary minus.</summary>
internal sealed class NegateScalar(Scalar operand) : Scalar(operand.Type is ColumnType.Integer or ColumnType.Real ? operand.Type : ColumnType.Object)
{
    public override StemeValue Eval(StemeValue[] row, ParameterValues parameters)
    {
        var value = operand.Eval(row, parameters);
        return value.Kind switch
        {
            ValueKind.Null => value,
            ValueKind.Integer when value.AsInteger == long.MinValue => throw new StemeException(StemeErrorCode.NumericOverflow,
                $"-({value.AsInteger}) does not fit in a 64-bit integer."),
            ValueKind.Integer => StemeValue.Integer(-value.AsInteger),
            ValueKind.Real => StemeValue.Real(-value.AsReal),
            _ => throw new StemeException(StemeErrorCode.TypeMismatch,
                $"Only numbers can be negated, not the {value.Kind.ToString().ToLowerInvariant()} {value}."),
        };
    }
}

/// <summary><c>a || b</c>: the text forms of both sides joined; NULL on either side gives NULL.</summary>
internal sealed class ConcatScalar(Scalar left, Scalar right) : Scalar(ColumnType.Text)
{
    public override StemeValue Eval(StemeValue[] row, ParameterValues parameters)
    {
        var a = left.Eval(row, parameters);
        var b = right.Eval(row, parameters);
        if (a.IsNull || b.IsNull) return StemeValue.Null;
        return StemeValue.Text(string.Concat(a.ToString(), b.ToString()));
    }
}
