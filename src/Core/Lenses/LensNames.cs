namespace StemeQL.Core.Lenses;

/// <summary>The lenses StemeQL knows by name, and which of them this version evaluates.</summary>
public static class LensNames
{
    /// <summary><c>consensus</c>: the value with the greatest total support.</summary>
    public const string Consensus = "consensus";

    /// <summary><c>recency</c>: last writer wins.</summary>
    public const string Recency = "recency";

    /// <summary>Lenses the language reserves that a later version evaluates.</summary>
    public static readonly IReadOnlyList<string> Planned = ["authority", "skeptic", "epoch_aware", "constraints"];

    /// <summary>The lenses this version evaluates, by lowercase name.</summary>
    public static readonly IReadOnlyDictionary<string, ILens> Available = new Dictionary<string, ILens>(StringComparer.OrdinalIgnoreCase)
    {
        [Consensus] = ConsensusLens.Instance,
        [Recency] = RecencyLens.Instance,
    };
}
