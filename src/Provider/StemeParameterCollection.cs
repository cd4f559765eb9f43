using System.Collections;
using System.Data.Common;

namespace StemeQL;

/// <summary>The parameters of a <see cref="StemeCommand"/>. Names match with or without <c>@</c>, case-insensitively.</summary>
public sealed class StemeParameterCollection : DbParameterCollection
{
    private readonly List<StemeParameter> _items = [];

    internal StemeParameterCollection() { }

    /// <summary>The parameter at <paramref name="index"/>.</summary>
    public new StemeParameter this[int index]
    {
        get => _items[index];
        set => _items[index] = Cast(value);
    }

    /// <summary>The parameter named <paramref name="parameterName"/>.</summary>
    public new StemeParameter this[string parameterName]
    {
        get => _items[IndexOrThrow(parameterName)];
        set => _items[IndexOrThrow(parameterName)] = Cast(value);
    }

    /// <inheritdoc />
    public override int Count => _items.Count;

    /// <inheritdoc />
    public override object SyncRoot => ((ICollection)_items).SyncRoot;

    /// <summary>Adds a parameter and returns it.</summary>
    public StemeParameter Add(StemeParameter parameter)
    {
        _items.Add(Cast(parameter));
        return parameter;
    }

    /// <summary>Adds a named parameter with a value and returns it.</summary>
    public StemeParameter AddWithValue(string parameterName, object? value) => Add(new StemeParameter(parameterName, value));

    /// <inheritdoc />
    public override int Add(object value)
    {
        _items.Add(Cast(value));
        return _items.Count - 1;
    }

    /// <inheritdoc />
    public override void AddRange(Array values)
    {
        foreach (var value in values) Add(value!);
    }

    /// <inheritdoc />
    public override void Clear() => _items.Clear();

    /// <inheritdoc />
    public override bool Contains(object value) => value is StemeParameter p && _items.Contains(p);

    /// <inheritdoc />
    public override bool Contains(string? value) => IndexOf(value) >= 0;

    /// <inheritdoc />
    public override void CopyTo(Array array, int index) => ((ICollection)_items).CopyTo(array, index);

    /// <inheritdoc />
    public override IEnumerator GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    public override int IndexOf(object value) => value is StemeParameter p ? _items.IndexOf(p) : -1;

    /// <inheritdoc />
    public override int IndexOf(string? parameterName)
    {
        if (parameterName is null) return -1;
        string name = Normalize(parameterName);
        return _items.FindIndex(p => string.Equals(p.NormalizedName, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <inheritdoc />
    public override void Insert(int index, object value) => _items.Insert(index, Cast(value));

    /// <inheritdoc />
    public override void Remove(object value) => _items.Remove(Cast(value));

    /// <inheritdoc />
    public override void RemoveAt(int index) => _items.RemoveAt(index);

    /// <inheritdoc />
    public override void RemoveAt(string parameterName) => _items.RemoveAt(IndexOrThrow(parameterName));

    /// <inheritdoc />
    protected override DbParameter GetParameter(int index) => _items[index];

    /// <inheritdoc />
    protected override DbParameter GetParameter(string parameterName) => this[parameterName];

    /// <inheritdoc />
    protected override void SetParameter(int index, DbParameter value) => _items[index] = Cast(value);

    /// <inheritdoc />
    protected override void SetParameter(string parameterName, DbParameter value) => _items[IndexOrThrow(parameterName)] = Cast(value);

    private int IndexOrThrow(string parameterName) => IndexOf(parameterName) is var i and >= 0
        ? i
        : throw new IndexOutOfRangeException($"The command has no parameter named '{parameterName}'.");

    private static string Normalize(string name) => name.StartsWith('@') ? name[1..] : name;

    private static StemeParameter Cast(object? value) => value switch
    {
        StemeParameter parameter => parameter,
        null => throw new ArgumentNullException(nameof(value), "A parameter cannot be null: add a StemeParameter (its Value may be DBNull.Value)."),
        _ => throw new InvalidCastException($"Only StemeParameter objects can be added, not {value.GetType().Name}."),
    };
}
