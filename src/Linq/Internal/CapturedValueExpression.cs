using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary>
/// A value the query captured from the caller (a local variable, a field, a method result), evaluated
/// once before translation. It becomes a StemeQL <c>@parameter</c>, so the command text, and with it the
/// cached plan, is the same whatever the value.
/// </summary>
internal sealed class CapturedValueExpression(object? value, Type type) : Expression
{
    /// <summary>The evaluated value.</summary>
    public object? Value { get; } = value;

    /// <inheritdoc />
    public override Type Type { get; } = type;

    /// <inheritdoc />
    public override ExpressionType NodeType => ExpressionType.Extension;

    /// <inheritdoc />
    protected override Expression VisitChildren(ExpressionVisitor visitor) => this;

    /// <inheritdoc />
    public override string ToString() => Value is string s ? $"\"{s}\"" : Value?.ToString() ?? "null";
}
