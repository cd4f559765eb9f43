namespace StemeQL.Storage.Abstractions;

/// <summary>
/// The parts of a stored assertion a read asks for, beyond its LSN (always read): the columns the query
/// uses. A store may leave the others empty (<c>''</c>, the default hash, no lineage, the minimum time),
/// and need not even fetch them, so a keyed read of one column does not decode and allocate text it
/// never uses. Whoever asks for less than <see cref="All"/> must not look at what it did not ask for.
/// </summary>
[Flags]
public enum AssertionFields
{
    /// <summary>Only the LSN (and, for whole records, the object and the confidence).</summary>
    None = 0,

    /// <summary>The content hash.</summary>
    Hash = 1,

    /// <summary>The subject.</summary>
    Subject = 2,

    /// <summary>The predicate.</summary>
    Predicate = 4,

    /// <summary>The epoch.</summary>
    Epoch = 8,

    /// <summary>The asserting agent.</summary>
    Agent = 16,

    /// <summary>The lineage (the hashes the assertion derives from).</summary>
    Lineage = 32,

    /// <summary>When it was asserted.</summary>
    AssertedAt = 64,

    /// <summary>
    /// The object, its type and the asserting agent's confidence. Reads that return whole records
    /// (<see cref="IEpistemeStore.ScanAssertions"/>, <see cref="IEpistemeStore.LookupView"/>) always read them;
    /// a cursor (<see cref="IEpistemeStore.OpenAssertions"/>) reads them only when asked.
    /// </summary>
    Object = 128,

    /// <summary>
    /// A view row's tallies (<see cref="ViewRow.SupportUnits"/>, <see cref="ViewRow.TotalUnits"/>, <see cref="ViewRow.Candidates"/>):
    /// <see cref="IEpistemeStore.LookupView"/> may leave them 0 when not asked for (a lookup of the winner's object need
    /// not fetch them). Reads of the ledger have none.
    /// </summary>
    Tallies = 256,

    /// <summary>Every part: what a read returns unless told otherwise.</summary>
    All = Hash | Subject | Predicate | Epoch | Agent | Lineage | AssertedAt | Object | Tallies,
}
