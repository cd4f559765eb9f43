using StemeQL.Core.Lenses;
using StemeQL.Core.Model;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// A whole <c>mv_winner</c> row whose values the batch holds (a set it created: see <see cref="NewSetRows"/>), bound column
/// by column in <see cref="WinnerTable"/>'s order.
/// </summary>
/// <param name="Lens">The row's lens.</param>
/// <param name="Set">The row's set.</param>
/// <param name="State">The lens's state for the set.</param>
/// <param name="Winner">The assertion at the state's winner LSN.</param>
/// <param name="ObjectType">The winner's object type.</param>
/// <param name="Object">The winner's object as the row copies it (see <see cref="WinnerTable.TryCopyObject"/>).</param>
/// <param name="AssertedAt">When the winner's batch was written.</param>
/// <param name="Support">The winner's value's support.</param>
/// <param name="Total">The set's total support.</param>
/// <param name="Candidates">The set's distinct values.</param>
internal readonly record struct WinnerRow(
    string Lens, SetKey Set, LensState State, Assertion Winner, long ObjectType, object? Object, long AssertedAt, long Support, long Total, long Candidates)
    : IBoundRow
{
    /// <inheritdoc />
    public void BindTo(PreparedSql statement, int firstSlot)
    {
        statement.Bind(firstSlot, Lens);
        statement.Bind(firstSlot + 1, Set.Subject);
        statement.Bind(firstSlot + 2, Set.Predicate);
        statement.Bind(firstSlot + 3, State.WinnerLsn);
        statement.Bind(firstSlot + 4, Winner.Hash.Bytes);
        statement.Bind(firstSlot + 5, ObjectType);
        statement.Bind(firstSlot + 6, Object);
        statement.Bind(firstSlot + 7, Winner.Epoch);
        statement.Bind(firstSlot + 8, Winner.Agent);
        statement.Bind(firstSlot + 9, Winner.Confidence);
        statement.Bind(firstSlot + 10, ValueCodec.LineageToColumn(Winner.Lineage));
        statement.Bind(firstSlot + 11, AssertedAt);
        statement.Bind(firstSlot + 12, Support);
        statement.Bind(firstSlot + 13, Total);
        statement.Bind(firstSlot + 14, Candidates);
        statement.Bind(firstSlot + 15, State.Tally);
        statement.Bind(firstSlot + 16, (object?)State.Data); // NULL when there is none, not an empty blob
    }
}
