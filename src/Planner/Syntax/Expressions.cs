using StemeQL.Core.Model;

namespace StemeQL.Planner.Syntax;

/// <summary>A scalar expression of a WHERE, ORDER BY or a statement argument.</summary>
public abstract record Expression;

/// <summary>A literal value, including NULL.</summary>
public sealed record LiteralExpression(StemeValue Value) : Expression;

/// <summary>An <c>@name</c> parameter; <see cref="Name"/> has no <c>@</c>.</summary>
public sealed record ParameterExpression(string Name) : Expression;

/// <summary>A column reference; <see cref="Name"/> is as written (columns match case-insensitively).</summary>
public sealed record ColumnExpression(string Name) : Expression;

/// <summary>Unary operators.</summary>
public enum UnaryOperator
{
    /// <summary><c>NOT</c>.</summary>
    Not,
    /// <summary>Arithmetic negation, <c>-x</c>.</summary>
    Negate,
}

/// <summary>A unary operation.</summary>
public sealed record UnaryExpression(UnaryOperator Operator, Expression Operand) : Expression;

/// <summary>Binary operators, logical and comparison.</summary>
public enum BinaryOperator
{
    /// <summary><c>AND</c>.</summary>
    And,
    /// <summary><c>OR</c>.</summary>
    Or,
    /// <summary><c>=</c>.</summary>
    Equal,
    /// <summary><c>&lt;&gt;</c> or <c>!=</c>.</summary>
    NotEqual,
    /// <summary><c>&lt;</c>.</summary>
    LessThan,
    /// <summary><c>&lt;=</c>.</summary>
    LessThanOrEqual,
    /// <summary><c>&gt;</c>.</summary>
    GreaterThan,
    /// <summary><c>&gt;=</c>.</summary>
    GreaterThanOrEqual,
}

/// <summary>A binary operation.</summary>
public sealed record BinaryExpression(BinaryOperator Operator, Expression Left, Expression Right) : Expression;

/// <summary><c>x [NOT] IN (a, b, ...)</c>.</summary>
public sealed record InExpression(Expression Operand, SyntaxList<Expression> Values, bool Negated) : Expression;

/// <summary><c>x [NOT] LIKE pattern</c> (<c>%</c> any run, <c>_</c> one character).</summary>
public sealed record LikeExpression(Expression Operand, Expression Pattern, bool Negated) : Expression;

/// <summary><c>x IS [NOT] NULL</c>.</summary>
public sealed record IsNullExpression(Expression Operand, bool Negated) : Expression;
