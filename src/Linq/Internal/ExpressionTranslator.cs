using System.Collections;
using System.Linq.Expressions;
using StemeQL.Core.Model;
using S = StemeQL.Planner.Syntax;

namespace StemeQL.Linq;

/// <summary>
/// Translates a C# expression over the row (after <see cref="ElementSubstitution"/>) into a StemeQL
/// syntax-tree expression. Captured values become parameters of the model; anything without a StemeQL
/// form is refused with a <see cref="NotSupportedException"/> that names it.
/// </summary>
internal sealed partial class ExpressionTranslator(QueryModel model)
{
    /// <summary>The StemeQL form of <paramref name="node"/>.</summary>
    public S.Expression Translate(Expression node) => node switch
    {
        ConstantExpression c => Literal(c.Value),
        CapturedValueExpression v => Captured(v),
        MemberExpression m => Member(m),
        UnaryExpression u => Unary(u),
        BinaryExpression b => Binary(b),
        ConditionalExpression c => new S.CaseExpression(null,
            S.SyntaxList.Of(new S.WhenClause(Translate(c.Test), Translate(c.IfTrue))), Translate(c.IfFalse)),
        MethodCallExpression call => Call(call),
        ParameterExpression p when p == model.Row =>
            throw Unsupported.Expression(node, $"A whole row has no StemeQL value here: use one of its properties ({model.Relation.PropertyList})."),
        GroupingExpression =>
            throw Unsupported.Expression(node, "A group can only be used through g.Key and aggregates: g.Count(), g.Sum(x => ...), g.Average, g.Min, g.Max."),
        _ => throw Unsupported.Expression(node, "Use columns, captured values, comparisons, arithmetic, string methods (StartsWith, Contains, ToUpper, Substring) and list.Contains(x)."),
    };

    /// <summary>A literal for the values StemeQL writes as literals, otherwise a parameter.</summary>
    public S.Expression Literal(object? value) => value switch
    {
        null => new S.LiteralExpression(StemeValue.Null),
        string s => new S.LiteralExpression(StemeValue.Text(s)),
        bool b => new S.LiteralExpression(StemeValue.Boolean(b)),
        long or int or short or sbyte or byte or ushort or uint => new S.LiteralExpression(StemeValue.Integer(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture))),
        double d when !double.IsNaN(d) => new S.LiteralExpression(StemeValue.Real(d)),
        byte[] bytes => new S.LiteralExpression(StemeValue.Bytes(bytes)),
        _ => model.Parameter(value),
    };

    // Only the value's runtime type decides the translation, so a cached one serves every value of that type.
    private S.Expression Captured(CapturedValueExpression captured) => captured.Observe(static v => v?.GetType()) switch
    {
        null => new S.LiteralExpression(StemeValue.Null),
        var t when t == typeof(string) || t == typeof(byte[]) => model.Parameter(captured),
        var t when typeof(IEnumerable).IsAssignableFrom(t) => throw Unsupported.Expression(captured, "A captured collection can only be used as list.Contains(x), which becomes x IN (...)."),
        _ => model.Parameter(captured),
    };

    private S.Expression Member(MemberExpression m)
    {
        if (m.Expression == model.Row)
        {
            string? column = model.Relation.ColumnOf(m.Member);
            if (column is not null) return new S.ColumnExpression(column);
        }
        if (m.Expression is not null && Nullable.GetUnderlyingType(m.Expression.Type) is not null)
        {
            if (m.Member.Name == "Value") return Translate(m.Expression);
            if (m.Member.Name == "HasValue") return new S.IsNullExpression(Translate(m.Expression), Negated: true);
        }
        if (m.Expression?.Type == typeof(string) && m.Member.Name == nameof(string.Length))
            return Function("length", Translate(m.Expression));
        var folded = ElementSubstitution.Fold(m.Expression, m.Member);
        if (folded is not null) return Translate(folded);
        throw Unsupported.Expression(m, $"Use a column ({model.Relation.PropertyList}), string.Length, or a member of an earlier Select.");
    }

    private S.Expression Unary(UnaryExpression u)
    {
        switch (u.NodeType)
        {
            case ExpressionType.Convert or ExpressionType.ConvertChecked or ExpressionType.TypeAs:
                var from = Nullable.GetUnderlyingType(u.Operand.Type) ?? u.Operand.Type;
                var to = Nullable.GetUnderlyingType(u.Type) ?? u.Type;
                if (IsReal(from) && IsIntegral(to))
                    throw Unsupported.Expression(u, "StemeQL has no cast from a real to an integer: keep the value a double, or use Math.Round(x, MidpointRounding.AwayFromZero).");
                return Translate(u.Operand);
            case ExpressionType.Not when (Nullable.GetUnderlyingType(u.Type) ?? u.Type) == typeof(bool):
                return new S.UnaryExpression(S.UnaryOperator.Not, Translate(u.Operand));
            case ExpressionType.Negate or ExpressionType.NegateChecked:
                return new S.UnaryExpression(S.UnaryOperator.Negate, Translate(u.Operand));
            case ExpressionType.UnaryPlus:
                return Translate(u.Operand);
            default:
                throw Unsupported.Expression(u, "Use !, unary - or a conversion between numeric types.");
        }
    }

    private S.Expression Binary(BinaryExpression b)
    {
        bool logical = (Nullable.GetUnderlyingType(b.Type) ?? b.Type) == typeof(bool);
        return b.NodeType switch
        {
            ExpressionType.AndAlso => And(Translate(b.Left), Translate(b.Right)),
            ExpressionType.And when logical => And(Translate(b.Left), Translate(b.Right)),
            ExpressionType.OrElse => Or(Translate(b.Left), Translate(b.Right)),
            ExpressionType.Or when logical => Or(Translate(b.Left), Translate(b.Right)),
            ExpressionType.Equal => Compare(S.BinaryOperator.Equal, b.Left, b.Right, b),
            ExpressionType.NotEqual => Compare(S.BinaryOperator.NotEqual, b.Left, b.Right, b),
            ExpressionType.LessThan => Compare(S.BinaryOperator.LessThan, b.Left, b.Right, b),
            ExpressionType.LessThanOrEqual => Compare(S.BinaryOperator.LessThanOrEqual, b.Left, b.Right, b),
            ExpressionType.GreaterThan => Compare(S.BinaryOperator.GreaterThan, b.Left, b.Right, b),
            ExpressionType.GreaterThanOrEqual => Compare(S.BinaryOperator.GreaterThanOrEqual, b.Left, b.Right, b),
            ExpressionType.Add or ExpressionType.AddChecked when b.Type == typeof(string) => Arithmetic(S.BinaryOperator.Concat, b),
            ExpressionType.Add or ExpressionType.AddChecked => Arithmetic(S.BinaryOperator.Add, b),
            ExpressionType.Subtract or ExpressionType.SubtractChecked => Arithmetic(S.BinaryOperator.Subtract, b),
            ExpressionType.Multiply or ExpressionType.MultiplyChecked => Arithmetic(S.BinaryOperator.Multiply, b),
            ExpressionType.Divide => Arithmetic(S.BinaryOperator.Divide, b),
            ExpressionType.Modulo => Arithmetic(S.BinaryOperator.Modulo, b),
            ExpressionType.Coalesce => Function("coalesce", Translate(b.Left), Translate(b.Right)),
            _ => throw Unsupported.Expression(b, "Use comparisons (== != < <= > >=), && || !, + - * / %, ?? or string +."),
        };
    }

    private S.Expression Arithmetic(S.BinaryOperator op, BinaryExpression b) => new S.BinaryExpression(op, Translate(b.Left), Translate(b.Right));

    public static S.Expression And(params S.Expression[] operands) => S.LogicalExpression.Join(S.LogicalOperator.And, operands);

    public static S.Expression Or(params S.Expression[] operands) => S.LogicalExpression.Join(S.LogicalOperator.Or, operands);

    public static S.Expression Function(string name, params S.Expression[] arguments) =>
        new S.FunctionCallExpression(name, S.SyntaxList.Of(arguments));

    private static bool IsIntegral(Type t) => Type.GetTypeCode(t) is >= TypeCode.SByte and <= TypeCode.UInt64;

    private static bool IsReal(Type t) => Type.GetTypeCode(t) is TypeCode.Single or TypeCode.Double or TypeCode.Decimal;
}
