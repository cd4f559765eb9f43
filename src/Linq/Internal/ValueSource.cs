namespace StemeQL.Linq;

/// <summary>
/// Where a parameter's (or a projection constant's) value comes from at each execution: a value fixed by
/// the translation, or one of the query's captured values, optionally transformed (a prefix becomes
/// <c>prefix%</c>).
/// </summary>
internal sealed class ValueSource
{
    private readonly object? _constant;
    private readonly int _index = -1;
    private readonly Func<object?, object?>? _transform;

    private ValueSource(object? constant) => _constant = constant;

    private ValueSource(int index, Func<object?, object?>? transform) => (_index, _transform) = (index, transform);

    /// <summary>Always <paramref name="value"/>.</summary>
    public static ValueSource Constant(object? value) => new(value);

    /// <summary>Captured value <paramref name="index"/>, through <paramref name="transform"/> if given.</summary>
    public static ValueSource Captured(int index, Func<object?, object?>? transform = null) => new(index, transform);

    /// <summary>The value for one execution's captured values.</summary>
    public object? Resolve(IReadOnlyList<object?> captured)
    {
        if (_index < 0) return _constant;
        var value = captured[_index];
        return _transform is null ? value : _transform(value);
    }
}
