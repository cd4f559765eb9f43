namespace StemeQL.Core.Lenses;

/// <summary>The support behind one object value of a candidate set, and the first assertion that stated it.</summary>
public sealed record ValueSupport(Model.StemeValue Object, long SupportUnits, LensCandidate First)
{
    /// <summary>The value as the folds see it: its first LSN and support.</summary>
    public ValueTally Tally => new(First.Lsn, SupportUnits);

    /// <summary>Groups a candidate set by object value (exact typed equality).</summary>
    public static IReadOnlyList<ValueSupport> Of(IEnumerable<LensCandidate> candidates)
    {
        var byValue = new Dictionary<Model.StemeValue, ValueSupport>();
        foreach (var candidate in candidates)
        {
            byValue[candidate.Object] = byValue.TryGetValue(candidate.Object, out var seen)
                ? seen with
                {
                    SupportUnits = seen.SupportUnits + candidate.SupportUnits,
                    First = candidate.Lsn < seen.First.Lsn ? candidate : seen.First,
                }
                : new ValueSupport(candidate.Object, candidate.SupportUnits, candidate);
        }
        return [.. byValue.Values];
    }

    /// <summary>
    /// Resolves a set to <paramref name="row"/> with the support of its value and the set's total,
    /// for lenses whose row is picked by something other than support (recency).
    /// </summary>
    public static LensResolution ResolveTo(LensCandidate row, IReadOnlyList<LensCandidate> candidates)
    {
        var values = Of(candidates);
        long total = values.Sum(v => v.SupportUnits);
        long support = values.First(v => v.Object == row.Object).SupportUnits;
        return new LensResolution(row, support, total, values.Count);
    }
}
