using StemeQL.Core.Model;

namespace StemeQL.Planner.Execution.Stages;

/// <summary>Compares rows by value (kind and value per column), for grouping and DISTINCT.</summary>
internal sealed class RowComparer : IEqualityComparer<StemeValue[]>
{
    public static readonly RowComparer Instance = new();

    public bool Equals(StemeValue[]? x, StemeValue[]? y) => x is not null && y is not null && x.AsSpan().SequenceEqual(y);

    public int GetHashCode(StemeValue[] row)
    {
        var hash = new HashCode();
        foreach (var value in row) hash.Add(value);
        return hash.ToHashCode();
    }
}
