using System.Collections;

namespace StemeQL.Planner.Syntax;

/// <summary>An immutable list with structural equality, so syntax-tree records compare by content.</summary>
public sealed class SyntaxList<T> : IReadOnlyList<T>, IEquatable<SyntaxList<T>>
{
    private readonly T[] _items;

    /// <summary>The empty list.</summary>
    public static readonly SyntaxList<T> Empty = new([]);

    /// <summary>Wraps a copy of <paramref name="items"/>.</summary>
    public SyntaxList(IEnumerable<T> items) => _items = [.. items];

    /// <inheritdoc />
    public T this[int index] => _items[index];

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    public bool Equals(SyntaxList<T>? other) => other is not null && _items.SequenceEqual(other._items);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SyntaxList<T>);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items) hash.Add(item);
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => "[" + string.Join(", ", _items) + "]";
}

/// <summary>Creates <see cref="SyntaxList{T}"/> instances.</summary>
public static class SyntaxList
{
    /// <summary>A list of the given items.</summary>
    public static SyntaxList<T> Of<T>(params IEnumerable<T> items) => new(items);
}
