using StemeQL.Core.Model;

namespace StemeQL.Planner.Syntax;

/// <summary>A scalar expression: a select item, a condition, a sort or group key, or a statement argument.</summary>
public abstract record Expression
{
    // Where the parser found the node (1-based line, 0-based column), for error messages. It is not
    // part of the node's value: trees compare by content, and LINQ builds trees with no text at all.
    // A field rather than a side table, because a ConditionalWeakTable entry per node cost as much
    // as the rest of building the tree.
    internal (int Line, int Column)? Position { get; set; }

    /// <summary>Two expressions are equal when their kind and content are; positions are ignored.</summary>
    public virtual bool Equals(Expression? other) => other is not null && EqualityContract == other.EqualityContract;

    /// <inheritdoc/>
    public override int GetHashCode() => EqualityContract.GetHashCode();
}

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

/// <summary>Binary operators: comparison and arithmetic.</summary>
public enum BinaryOperator
{
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
    /// <summary><c>+</c>.</summary>
    Add,
    /// <summary><c>-</c>.</summary>
    Subtract,
    /// <summary><c>*</c>.</summary>
    Multiply,
    /// <summary><c>/</c> (integer division when both sides are integers).</summary>
    Divide,
    /// <summary><c>%</c>.</summary>
    Modulo,
    /// <summary><c>||</c>, text concatenation.</summary>
    Concat,
}

/// <summary>A binary operation.</summary>
public sealed record BinaryExpression(BinaryOperator Operator, Expression Left, Expression Right) : Expression;

/// <summary>The two logical connectives.</summary>
public enum LogicalOperator
{
    /// <summary><c>AND</c>.</summary>
    And,
    /// <summary><c>OR</c>.</summary>
    Or,
}

/// <summary>
/// <c>a AND b AND ...</c> or <c>a OR b OR ...</c>, flat: a chain of any length is one node, so no
/// tree walk recurses once per term. Has at least two operands, none of them the same connective.
/// </summary>
public sealed record LogicalExpression(LogicalOperator Operator, SyntaxList<Expression> Operands) : Expression
{
    /// <summary>Joins two conditions, flattening operands that are already the same connective.</summary>
    public static Expression Join(LogicalOperator op, IEnumerable<Expression> operands)
    {
        var flat = new List<Expression>();
        foreach (var operand in operands)
        {
            if (operand is LogicalExpression inner && inner.Operator == op) flat.AddRange(inner.Operands);
            else flat.Add(operand);
        }
        return flat.Count == 1 ? flat[0] : new LogicalExpression(op, new SyntaxList<Expression>(flat));
    }
}

/// <summary>
/// A call <c>name(args)</c>: a scalar function (<c>lower</c>, <c>coalesce</c>, ...) or an aggregate
/// (<c>count</c>, <c>sum</c>, ...). <see cref="Star"/> is <c>count(*)</c>; <see cref="Distinct"/> is
/// <c>count(DISTINCT x)</c>.
/// </summary>
public sealed record FunctionCallExpression(string Name, SyntaxList<Expression> Arguments, bool Distinct = false, bool Star = false) : Expression;

/// <summary>
/// <c>CASE [operand] WHEN w THEN t ... [ELSE e] END</c>. With an operand, each WHEN is compared to it
/// with <c>=</c>; without, each WHEN is a condition.
/// </summary>
public sealed record CaseExpression(Expression? Operand, SyntaxList<WhenClause> Whens, Expression? Else) : Expression;

/// <summary>One <c>WHEN w THEN t</c> of a CASE.</summary>
public sealed record WhenClause(Expression When, Expression Then);

/// <summary><c>x [NOT] IN (a, b, ...)</c>.</summary>
public sealed record InExpression(Expression Operand, SyntaxList<Expression> Values, bool Negated) : Expression;

/// <summary><c>x [NOT] LIKE pattern</c> (<c>%</c> any run, <c>_</c> one character).</summary>
public sealed record LikeExpression(Expression Operand, Expression Pattern, bool Negated) : Expression;

/// <summary><c>x IS [NOT] NULL</c>.</summary>
public sealed record IsNullExpression(Expression Operand, bool Negated) : Expression;
