using StemeQL.Core.Lenses;
using StemeQL.Core.Model;

namespace StemeQL.Core.Lenses;

/// <summary>The support behind one object value of a candidate set, and the first assertion that stated it.</summary>
public sealed record ValueSupport(StemeValue Object, long SupportUnits, LensCandidate First)
{
    /// <summary>Groups a candidate set by object value (exact typed equality).</summary>
    public static IReadOnlyList<ValueSupport> Of(IEnumerable<LensCandidate> candidates)
    {
        var byValue = new Dictionary<StemeValue, ValueSupport>();
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
}
