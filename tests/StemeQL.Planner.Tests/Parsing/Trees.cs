using StemeQL.Core.Model;
using StemeQL.Planner.Parsing;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Tests.Parsing;

/// <summary>Short constructors for expected syntax trees.</summary>
internal static class Trees
{
    public static LiteralExpression Text(string value) => new(StemeValue.Text(value));

    public static LiteralExpression Int(long value) => new(StemeValue.Integer(value));

    public static LiteralExpression Real(double value) => new(StemeValue.Real(value));

    public static LiteralExpression Bool(bool value) => new(StemeValue.Boolean(value));

    public static LiteralExpression Null { get; } = new(StemeValue.Null);

    public static ColumnExpression Col(string name) => new(name);

    public static ParameterExpression Param(string name) => new(name);

    public static BinaryExpression Eq(Expression left, Expression right) => new(BinaryOperator.Equal, left, right);

    // AND and OR chains are one flat node; nested helpers flatten as the parser does.
    public static Expression And(params Expression[] operands) => LogicalExpression.Join(LogicalOperator.And, operands);

    public static Expression Or(params Expression[] operands) => LogicalExpression.Join(LogicalOperator.Or, operands);

    public static UnaryExpression Not(Expression operand) => new(UnaryOperator.Not, operand);

    public static UnaryExpression Negate(Expression operand) => new(UnaryOperator.Negate, operand);

    public static SyntaxList<T> List<T>(params T[] items) => new(items);

    public static Statement Single(string text) => Assert.Single(StemeParser.Parse(text));

    public static SelectStatement Select(string text) => Assert.IsType<SelectStatement>(Single(text));

    /// <summary>The WHERE of <c>SELECT * FROM t WHERE</c> + <paramref name="condition"/>.</summary>
    public static Expression Where(string condition) => Select("SELECT * FROM t WHERE " + condition).Where!;

    public static SelectStatement SelectAll(string relation) =>
        new(null, relation, null, null, null, SyntaxList<OrderItem>.Empty, null, null);
}
