using StemeQL.Core.Model;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The set of hashes a large write names and the map of those found, which <see cref="SequencedWrite.Prefetch"/>
/// fills: kept by the write path and emptied after each write it sequences (only under its sequencer lock), so a
/// DbBatch of 1,000 votes does not build and drop a set and a map of its targets every time (a third of the bytes
/// such a batch allocated, 330 of 850 per vote). Ones a very large write grew are dropped rather than kept.
/// </summary>
internal sealed class PrefetchBuffers
{
    // Past this many entries a set or map is let go after the write: a bulk batch of new assertions would
    // otherwise pin a few megabytes for the life of the store.
    private const int KeptEntries = 16_384;

    /// <summary>The hashes the write names.</summary>
    public HashSet<ContentHash> Named { get; private set; } = [];

    /// <summary>Those of <see cref="Named"/> that are stored, with their LSNs.</summary>
    public Dictionary<ContentHash, long> Known { get; private set; } = [];

    /// <summary>Empties both for the next write.</summary>
    public void Clear()
    {
        if (Named.Count > KeptEntries) Named = [];
        else Named.Clear();
        if (Known.Count > KeptEntries) Known = [];
        else Known.Clear();
    }
}
