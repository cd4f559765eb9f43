using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// What a read is (target, count or rows) and which keys it pins: each shape has one SQL text, whatever the number of keys
/// (sets are bound as arrays). A hash, subject or predicate pinned to one value is its own shape, bound as a scalar: with
/// <c>= ANY(array)</c> PostgreSQL's generic plan cannot carry the key across the view join, so a single-set lookup read
/// every table through a bitmap scan and a sort instead of one index seek each.
/// A read of rows also names the assertion columns it fetches (<see cref="Fields"/>, a view's tallies included): the others are
/// not selected (<see cref="PgRows.Columns"/>), so the server neither reads nor sends them (a lookup of one object sent the whole row).
/// </summary>
internal readonly record struct PgReadShape(StoreRelation Target, bool IsCount, bool Hashes, bool Subjects, bool Predicates, bool Agents,
    bool Objects, bool MinLsn, bool MaxLsn, bool Descending, bool Limit, bool OneHash = false, bool OneSubject = false, bool OnePredicate = false,
    AssertionFields Fields = AssertionFields.All, string? Lens = null, int Order = 0)
{
    /// <summary>
    /// The shape of a read of <paramref name="target"/> with <paramref name="keys"/> and an upper LSN bound of <paramref name="maxLsn"/>;
    /// a view's read names its <paramref name="lens"/> (as stored), which its text holds as a literal: one parameter fewer per read.
    /// </summary>
    public static PgReadShape For(StoreRelation target, bool count, KeyFilter keys, long maxLsn, string? lens = null) => new(target, count,
        keys.Hashes is not null, keys.Subjects is not null, keys.Predicates is not null, keys.Agents is not null, keys.Objects is not null,
        keys.MinLsn > Core.Model.Lsn.None, maxLsn != long.MaxValue, !count && keys.Descending && keys.OrderBy is null, !count && keys.Limit is not null,
        keys.Hashes is { Count: 1 }, keys.Subjects is { Count: 1 }, keys.Predicates is { Count: 1 },
        // Whole records always carry their object and confidence (PgRows reads them); votes have no optional parts, and only
        // a view's rows have tallies.
        count || target == StoreRelation.Votes ? AssertionFields.All
            : (keys.Fields | AssertionFields.Object) & (target == StoreRelation.View ? AssertionFields.All : LedgerColumns.Parts),
        target == StoreRelation.View ? lens ?? throw new ArgumentNullException(nameof(lens), "A view's read needs the lens.") : null,
        count ? 0 : OrderOf(target, keys));

    // ReadOrder's code of the read's own order (0 for the natural one); votes come in LSN order only.
    private static int OrderOf(StoreRelation target, KeyFilter keys) => keys.OrderBy is null ? 0
        : target == StoreRelation.Votes ? throw new ArgumentException("A read of votes comes in LSN order only.", nameof(keys))
        : ReadOrder.Code(keys.OrderBy);

    /// <summary>
    /// The shape <see cref="For"/> gives a view read of one set (one subject, one predicate, nothing else pinned) asking for
    /// <paramref name="fields"/>: a one-set lookup binds the same statement without building a <see cref="KeyFilter"/>.
    /// </summary>
    public static PgReadShape OneSet(string lens, AssertionFields fields) => new(StoreRelation.View, IsCount: false, Hashes: false,
        Subjects: true, Predicates: true, Agents: false, Objects: false, MinLsn: false, MaxLsn: false, Descending: false, Limit: false,
        OneSubject: true, OnePredicate: true, Fields: fields | AssertionFields.Object, Lens: lens);

    /// <summary>True when the read can match one row at most: one set's view row, or the assertion of one hash.</summary>
    public bool AtMostOneRow => !IsCount && (Target == StoreRelation.View ? OneSubject && OnePredicate : Target == StoreRelation.Assertions && OneHash);

    /// <summary>True when the read needs the winner of a view (not only its sets).</summary>
    public bool PinsWinner => Hashes || Agents || Objects || MinLsn || MaxLsn;
}
