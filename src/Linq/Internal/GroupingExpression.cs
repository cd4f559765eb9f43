using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary>
/// The group <c>g</c> of a <c>GroupBy</c> while the query is translated: its key and its elements as
/// expressions over the row. <c>g.Key</c> becomes the key, <c>g.Count()</c> / <c>g.Sum(x =&gt; ...)</c>
/// become aggregates.
/// </summary>
internal sealed class GroupingExpression(Expression key, Expression element, Type type) : Expression
{
    /// <summary>The group key, over the row.</summary>
    public Expression Key { get; } = key;

    /// <summary>One element of the group, over the row.</summary>
    public Expression Element { get; } = element;

    /// <inheritdoc />
    public override Type Type { get; } = type;

    /// <inheritdoc />
    public override ExpressionType NodeType => ExpressionType.Extension;

    /// <inheritdoc />
    protected override Expression VisitChildren(ExpressionVisitor visitor) => this;

    /// <inheritdoc />
    public override string ToString() => "g";
}
