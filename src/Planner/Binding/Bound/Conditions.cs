using StemeQL.Core.Model;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Binding.Bound;

/// <summary>AND / OR over any number of operands with SQL's three-valued logic, evaluated in a loop.</summary>
internal sealed class LogicalScalar(LogicalOperator op, Scalar[] operands) : Scalar(ColumnType.Boolean)
{
    public override StemeValue Eval(StemeValue[] row, ParameterValues parameters)
    {
        // AND: any FALSE decides; OR: any TRUE decides. Otherwise an unknown operand makes it unknown.
        bool decisive = op == LogicalOperator.Or;
        bool unknown = false;
        foreach (var operand in operands)
        {
            var truth = Truth.Of(operand.Eval(row, parameters));
            if (truth == decisive) return StemeValue.Boolean(decisive);
            unknown |= truth is null;
        }
        return unknown ? StemeValue.Null : StemeValue.Boolean(!decisive);
    }
}

/// <summary><c>NOT x</c>.</summary>
internal sealed class NotScalar(Scalar operand) : Scalar(ColumnType.Boolean)
{
    public override StemeValue Eval(StemeValue[] row, ParameterValues parameters) =>
        Truth.Of(operand.Eval(row, parameters)) is { } truth ? StemeValue.Boolean(!truth) : StemeValue.Null;
}

/// <summary>A comparison; NULL, or kinds that do not compare (text with a number), give unknown.</summary>
internal sealed class ComparisonScalar(BinaryOperator op, Scalar left, Scalar right) : Scalar(ColumnType.Boolean)
{
    public override StemeValue Eval(StemeValue[] row, ParameterValues parameters)
    {
        int? order = left.Eval(row, parameters).CompareSql(right.Eval(row, parameters));
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
}

/// <summary><c>x [NOT] IN (a, b, ...)</c>.</summary>
internal sealed class InScalar(Scalar operand, Scalar[] values, bool negated) : Scalar(ColumnType.Boolean)
{
    public override StemeValue Eval(StemeValue[] row, ParameterValues parameters)
    {
        var value = operand.Eval(row, parameters);
        if (value.IsNull) return StemeValue.Null;
        bool sawNull = false;
        foreach (var item in values)
        {
            var candidate = item.Eval(row, parameters);
            if (value.CompareSql(candidate) == 0) return StemeValue.Boolean(!negated);
            sawNull |= candidate.IsNull;
        }
        return sawNull ? StemeValue.Null : StemeValue.Boolean(negated);
    }
}

/// <summary><c>x [NOT] LIKE pattern</c> over text; other kinds give unknown.</summary>
internal sealed class LikeScalar(Scalar operand, Scalar pattern, bool negated) : Scalar(ColumnType.Boolean)
{
    public override StemeValue Eval(StemeValue[] row, ParameterValues parameters)
    {
        var value = operand.Eval(row, parameters);
        var shape = pattern.Eval(row, parameters);
        if (value.Kind != ValueKind.Text || shape.Kind != ValueKind.Text) return StemeValue.Null;
        return StemeValue.Boolean(LikePattern.Matches(value.AsText, shape.AsText) != negated);
    }
}

/// <summary><c>x IS [NOT] NULL</c>.</summary>
internal sealed class IsNullScalar(Scalar operand, bool negated) : Scalar(ColumnType.Boolean)
{
    public override StemeValue Eval(StemeValue[] row, ParameterValues parameters) =>
        StemeValue.Boolean(operand.Eval(row, parameters).IsNull != negated);
}

/// <summary>
/// <c>CASE WHEN c THEN v ... ELSE e END</c>; the simple form <c>CASE x WHEN w ...</c> is bound as
/// conditions <c>x = w</c>. Without ELSE, no match gives NULL.
/// </summary>
internal sealed class CaseScalar(Scalar[] conditions, Scalar[] results, Scalar? otherwise)
    : Scalar(Types.Common(otherwise is null ? results : [.. results, otherwise]))
{
    public override StemeValue Eval(StemeValue[] row, ParameterValues parameters)
    {
        for (int i = 0; i < conditions.Length; i++)
        {
            if (Truth.IsTrue(conditions[i].Eval(row, parameters))) return results[i].Eval(row, parameters);
        }
        return otherwise?.Eval(row, parameters) ?? StemeValue.Null;
    }
}
