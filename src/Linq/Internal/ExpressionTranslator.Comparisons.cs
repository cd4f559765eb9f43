using System.Linq.Expressions;
using StemeQL.Core.Model;
using S = StemeQL.Planner.Syntax;

namespace StemeQL.Linq;

// C# compares with two-valued logic (null == null is true, null < 1 is false); SQL comparisons with NULL
// are unknown, which NOT keeps unknown. Comparisons of nullable operands get IS [NOT] NULL guards so
// that the StemeQL condition is TRUE exactly when the C# one is, under any number of !s.
internal sealed partial class ExpressionTranslator
{
    private S.Expression Compare(S.BinaryOperator op, Expression left, Expression right, Expression whole)
    {
        left = StripConvert(left);
        right = StripConvert(right);
        if (left.Type == typeof(object) || right.Type == typeof(object))
            throw Unsupported.Expression(whole, "A row's Object has no C# comparison: compare a.ObjectAs<T>() (for example a.ObjectAs<long>() > 3 or a.ObjectAs<string>() == \"x\").");
        bool leftNull = IsNullValue(left), rightNull = IsNullValue(right);
        if (leftNull || rightNull)
        {
            if (leftNull && rightNull) return Boolean(op is S.BinaryOperator.Equal or S.BinaryOperator.LessThanOrEqual or S.BinaryOperator.GreaterThanOrEqual);
            var other = Translate(leftNull ? right : left);
            return op switch
            {
                S.BinaryOperator.Equal => new S.IsNullExpression(other, Negated: false),
                S.BinaryOperator.NotEqual => new S.IsNullExpression(other, Negated: true),
                _ => Boolean(false), // C#: a lifted <, <=, >, >= with null is false
            };
        }
        var l = Translate(left);
        var r = Translate(right);
        var comparison = new S.BinaryExpression(op, l, r);
        bool ln = MayBeNull(left), rn = MayBeNull(right);
        if (!ln && !rn) return comparison;
        var guards = new List<S.Expression> { comparison };
        if (ln) guards.Add(NotNull(l));
        if (rn) guards.Add(NotNull(r));
        var bothValues = And([.. guards]);
        return op switch
        {
            S.BinaryOperator.Equal when ln && rn => Or(bothValues, And(IsNull(l), IsNull(r))),
            S.BinaryOperator.NotEqual when ln && rn => Or(bothValues, And(IsNull(l), NotNull(r)), And(NotNull(l), IsNull(r))),
            S.BinaryOperator.NotEqual => Or(comparison, IsNull(ln ? l : r)),
            _ => bothValues,
        };
    }

    /// <summary>True when the expression's value can be NULL: a nullable column or an expression over one.</summary>
    private static bool MayBeNull(Expression e) => e switch
    {
        ConstantExpression c => c.Value is null,
        CapturedValueExpression v => v.IsNull,
        _ => Nullable.GetUnderlyingType(e.Type) is not null,
    };

    private static bool IsNullValue(Expression e) => e is ConstantExpression { Value: null } or CapturedValueExpression { IsNull: true };

    private static Expression StripConvert(Expression e)
    {
        while (e is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } u
               && (Nullable.GetUnderlyingType(u.Type) ?? u.Type) == (Nullable.GetUnderlyingType(u.Operand.Type) ?? u.Operand.Type))
        {
            e = u.Operand;
        }
        return e;
    }

    private static S.Expression IsNull(S.Expression e) => new S.IsNullExpression(e, Negated: false);

    private static S.Expression NotNull(S.Expression e) => new S.IsNullExpression(e, Negated: true);

    private static S.Expression Boolean(bool value) => new S.LiteralExpression(StemeValue.Boolean(value));
}
