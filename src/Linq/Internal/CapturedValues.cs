using System.Collections;

namespace StemeQL.Linq;

/// <summary>
/// The values one LINQ query captured, in order, and the facts its translation read from them. A
/// translation is a pure function of the expression's shape and those facts, so it can be reused for
/// another execution of the same shape whose values show the same facts (<see cref="Satisfies"/>).
/// </summary>
internal sealed class CapturedValues
{
    private readonly List<object?> _values = [];
    private readonly List<Fact> _facts = [];

    public IReadOnlyList<object?> Values => _values;

    /// <summary>Adds a value; its index is its position.</summary>
    public int Add(object? value)
    {
        _values.Add(value);
        return _values.Count - 1;
    }

    /// <summary>The facts read so far, to keep with a cached translation.</summary>
    public Fact[] Facts => [.. _facts];

    public T Observe<T>(int index, object? value, Func<object?, T> fact)
    {
        var seen = fact(value);
        _facts.Add(new Fact<T>(index, fact, seen));
        return seen;
    }

    /// <summary>True when every fact in <paramref name="facts"/> holds for <paramref name="values"/>.</summary>
    public static bool Satisfies(Fact[] facts, IReadOnlyList<object?> values)
    {
        foreach (var fact in facts)
        {
            if (!fact.Holds(values[fact.Index])) return false;
        }
        return true;
    }

    /// <summary>The value itself, with collections copied (a captured list can change between executions).</summary>
    public static object? Snapshot(object? value) =>
        value is IEnumerable items and not string ? items.Cast<object?>().ToList() : value;

    private static bool SameValue(object? a, object? b) =>
        a is List<object?> x && b is List<object?> y ? x.SequenceEqual(y) : Equals(a, b);

    /// <summary>What the translation read from value <see cref="Index"/>, and whether another value shows the same.</summary>
    internal abstract class Fact(int index)
    {
        public int Index { get; } = index;

        public abstract bool Holds(object? value);
    }

    // Typed, so that checking a fact on a repeated query boxes nothing (a bool, a type).
    private sealed class Fact<T>(int index, Func<object?, T> read, T seen) : Fact(index)
    {
        public override bool Holds(object? value) =>
            typeof(T) == typeof(object) ? SameValue(read(value), seen) : EqualityComparer<T>.Default.Equals(read(value), seen);
    }
}
