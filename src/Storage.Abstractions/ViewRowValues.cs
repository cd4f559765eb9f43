using StemeQL.Core.Model;

namespace StemeQL.Storage.Abstractions;

/// <summary>
/// A view row's parts as plain values (the winner's columns, then the tallies), so a one-set lookup
/// (<see cref="IEpistemeStore.TryLookupViewRow"/>) can hand them to the reader's row without building an
/// <see cref="Assertion"/>, a <see cref="StoredAssertion"/> and a <see cref="ViewRow"/> first. The parts a read did not
/// ask for (<see cref="AssertionFields"/>) are empty, as in those records.
/// </summary>
/// <param name="Lsn">The winner's LSN.</param>
/// <param name="Hash">The winner's content hash.</param>
/// <param name="Subject">The set's subject.</param>
/// <param name="Predicate">The set's predicate.</param>
/// <param name="Object">The winning value.</param>
/// <param name="Epoch">The winner's epoch.</param>
/// <param name="Agent">The winner's agent.</param>
/// <param name="Confidence">The winner's own confidence (its agent's weight, not the view's share).</param>
/// <param name="Lineage">The winner's lineage, or null when not read.</param>
/// <param name="AssertedAt">When the winner was asserted (UTC).</param>
/// <param name="SupportUnits">The support behind the winning value (see <see cref="ViewRow.SupportUnits"/>).</param>
/// <param name="TotalUnits">The support behind the whole set.</param>
/// <param name="Candidates">The number of distinct competing values.</param>
public readonly record struct ViewRowValues(long Lsn, ContentHash Hash, string Subject, string Predicate, StemeValue Object, string Epoch,
    string Agent, double Confidence, IReadOnlyList<ContentHash>? Lineage, DateTime AssertedAt, long SupportUnits, long TotalUnits, int Candidates)
{
    /// <summary>The winner's share of all support, in [0, 1] (as <see cref="ViewRow.Confidence"/>).</summary>
    public double Share => TotalUnits == 0 ? 0.0 : (double)SupportUnits / TotalUnits;

    /// <summary>The parts of <paramref name="row"/>.</summary>
    public static ViewRowValues Of(ViewRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var (winner, lsn, at) = row.Winner;
        return new(lsn, winner.Hash, winner.Subject, winner.Predicate, winner.Object, winner.Epoch, winner.Agent, winner.Confidence,
            winner.Lineage, at, row.SupportUnits, row.TotalUnits, row.Candidates);
    }

    /// <summary>The winner as a stored assertion (its hash taken as stored, not computed again).</summary>
    public StoredAssertion ToStoredAssertion() =>
        new(Assertion.FromStorage(Subject, Predicate, Object, Epoch, Agent, Lineage, Confidence, Hash), Lsn, AssertedAt);

    /// <summary>The parts as a view row record.</summary>
    public ViewRow ToViewRow() => new(ToStoredAssertion(), SupportUnits, TotalUnits, Candidates);
}
