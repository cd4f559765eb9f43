using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary>
/// A value the query captured from the caller (a local variable, a field, a method result), evaluated
/// once before translation. It becomes a StemeQL <c>@parameter</c>, so the command text, and with it the
/// cached plan, is the same whatever the value. What the translation learns about the value is recorded
/// in its <see cref="CapturedValues"/>, so a cached translation is reused only where it still holds.
/// </summary>
internal sealed class CapturedValueExpression(object? value, Type type, int index, CapturedValues log) : Expression
{
    private readonly object? _value = value;

    /// <summary>The value's position among the query's captured values.</summary>
    public int Index { get; } = index;

    /// <summary>The evaluated value. Reading it ties a cached translation to exactly this value.</summary>
    public object? Value => Observe(CapturedValues.Snapshot);

    /// <summary>True when the value is null; ties a cached translation to the value's nullness only.</summary>
    public bool IsNull => Observe(static v => v is null);

    /// <summary>
    /// A fact about the value that the translation depends on (its type, whether it holds a wildcard):
    /// a cached translation is reused only for values with an equal fact.
    /// </summary>
    public T Observe<T>(Func<object?, T> fact) => log.Observe(Index, _value, fact);

    /// <inheritdoc />
    public override Type Type { get; } = type;

    /// <inheritdoc />
    public override ExpressionType NodeType => ExpressionType.Extension;

    /// <inheritdoc />
    protected override Expression VisitChildren(ExpressionVisitor visitor) => this;

    /// <inheritdoc />
    public override string ToString() => _value is string s ? $"\"{s}\"" : _value?.ToString() ?? "null";
}
