using Microsoft.Data.Sqlite;
using StemeQL.Core.Lenses;
using StemeQL.Core.Model;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The embedded store's side of the support port (<see cref="ISupportStore{TValue}"/>): current votes,
/// value tallies and set totals in <c>current_votes</c>, <c>mv_value</c> and <c>mv_set</c>, each step a
/// primary-key lookup or upsert. The rules are in Core's <see cref="ViewFold{TValue}"/>; this class
/// only reads and writes rows. Unqualified table names, so a connection with TEMP shadow tables
/// (the integrity check) folds into those.
/// </summary>
internal sealed class ViewMaintenance : ISupportStore<ValueKey>, IDisposable
{
    private const string ValueKeyWhere = "subject = $subject AND predicate = $predicate AND object_type = $type AND object = $object";

    private static readonly string[] KeyNames = ["subject", "predicate", "type", "object"];

    private readonly PreparedSql _keyAt;
    private readonly PreparedSql _keyOf;
    private readonly CurrentVotesTable _currentVotes;
    private readonly PreparedSql _addToValue;
    private readonly PreparedSql _insertNewValue;
    private readonly PreparedSql _insertNewSet;
    private readonly PreparedSql _addToSet;
    private readonly PreparedSql _valuesOf;
    private readonly NewSetRows? _newSets;
    private readonly SetRowWrites? _setRowWrites;

    /// <summary>The LSNs of the votes' targets, which <c>current_votes</c> is keyed by; the applier notes each chunk's in it.</summary>
    public VoteTargets Targets { get; }

    /// <summary>The buffered value and set rows (null without <see cref="NewSetRows"/>): flushed before the view rows are refreshed.</summary>
    public SetRowWrites? SetRowWrites => _setRowWrites;

    /// <summary>The rows of existing sets read ahead for a batch (null without <see cref="NewSetRows"/>: the integrity check reads each).</summary>
    public ViewReadAhead? ReadAhead { get; }

    /// <summary>
    /// The tallies each set the batch touched has after it, as written here (null without <see cref="NewSetRows"/>: the
    /// integrity check refreshes every view row from the tables).
    /// </summary>
    public TouchedSetTallies? Tallies { get; }

    /// <summary>The statements, exposed so tests can check their query plans use indexes.</summary>
    public static IReadOnlyList<string> Statements { get; } =
    [
        "SELECT subject, predicate, object_type, object FROM main.assertions WHERE lsn = $lsn",
        "SELECT lsn, subject, predicate, object_type, object FROM main.assertions WHERE hash = $hash",
        CurrentVotesTable.ReadSql,
        CurrentVotesTable.WriteSql,
        $"UPDATE mv_value SET support_units = support_units + $units WHERE {ValueKeyWhere} RETURNING support_units, first_lsn",
        """
        INSERT INTO mv_value(subject, predicate, object_type, object, support_units, first_lsn) VALUES ($subject, $predicate, $type, $object, $units, $lsn)
        ON CONFLICT(subject, predicate, object_type, object) DO NOTHING
        """,
        """
        INSERT INTO mv_set(subject, predicate, total_units, candidates, assertion_count)
        VALUES ($subject, $predicate, $units, $new_values, $new_assertions)
        ON CONFLICT(subject, predicate) DO NOTHING
        """,
        """
        UPDATE mv_set SET total_units = total_units + $units, candidates = candidates + $new_values, assertion_count = assertion_count + $new_assertions
        WHERE subject = $subject AND predicate = $predicate
        RETURNING total_units, candidates
        """,
        "SELECT first_lsn, support_units FROM mv_value WHERE subject = $subject AND predicate = $predicate",
    ];

    /// <summary>Prepares the statements on the writer connection.</summary>
    /// <param name="connection">The writer's (or the check's) connection.</param>
    /// <param name="newSets">Where the values and sets a batch creates are noted for their view rows, or null.</param>
    public ViewMaintenance(SqliteConnection connection, NewSetRows? newSets = null)
    {
        _newSets = newSets;
        _setRowWrites = newSets is null ? null : new SetRowWrites(connection);
        ReadAhead = newSets is null ? null : new ViewReadAhead(connection);
        Tallies = newSets is null ? null : new TouchedSetTallies();
        _keyAt = new PreparedSql(connection, Statements[0], "lsn");
        _keyOf = new PreparedSql(connection, Statements[1], "hash");
        Targets = new VoteTargets(connection);
        _currentVotes = new CurrentVotesTable(connection, Targets);
        _addToValue = new PreparedSql(connection, Statements[4], [.. KeyNames, "units"]);
        _insertNewValue = new PreparedSql(connection, Statements[5], [.. KeyNames, "units", "lsn"]);
        _insertNewSet = new PreparedSql(connection, Statements[6], "subject", "predicate", "units", "new_values", "new_assertions");
        _addToSet = new PreparedSql(connection, Statements[7], "subject", "predicate", "units", "new_values", "new_assertions");
        _valuesOf = new PreparedSql(connection, Statements[8], "subject", "predicate");
    }

    /// <inheritdoc />
    public ValueKey? ValueOf(ContentHash assertion)
    {
        // By LSN where the chunk has resolved it (a rowid seek), else by the hash index, noting the LSN for current_votes.
        if (Targets.TryGet(assertion, out long lsn))
            return ReadAhead is not null && ReadAhead.TryTargetValue(lsn, out var ahead) ? ahead : _keyAt.Row(lsn) is { } row ? Key(row, 0) : null;
        if (_keyOf.Row(ValueCodec.HashToColumn(assertion)) is not { } found) return null;
        Targets.Known(assertion, (long)found[0]!);
        return Key(found, 1);
    }

    // An empty byte string may read back as NULL; bind it again as the same empty blob.
    private static ValueKey Key(object?[] row, int first) =>
        new((string)row[first]!, (string)row[first + 1]!, (long)row[first + 2]!, row[first + 3] ?? Array.Empty<byte>());

    /// <inheritdoc />
    public long ReplaceVote(ContentHash assertion, string agent, long units, long lsn)
    {
        Span<long> previous = stackalloc long[1];
        _currentVotes.Replace([new CurrentVote(assertion, agent, units, lsn)], previous);
        return previous[0];
    }

    /// <inheritdoc />
    public void ReplaceVotes(IReadOnlyList<CurrentVote> votes, Span<long> previous) => _currentVotes.Replace(votes, previous);

    /// <inheritdoc />
    public ValueChange AddToValue(ValueKey value, long delta, long firstLsn)
    {
        // A value of a set the batch creates: a buffered plain insert (see SetRowWrites), and the set's rows are
        // written from memory (NewSetRows), not from the batch's tallies.
        if (firstLsn != 0 && IsNewSet(value.Set))
        {
            _setRowWrites!.AddValue(value, delta, firstLsn);
            _newSets!.ValueCreated(value, delta);
            return new ValueChange(firstLsn, 0, delta, IsNew: true);
        }
        var change = MoveValue(value, delta, firstLsn);
        Tallies?.ValueMoved(value, change.After);
        return change;
    }

    // A value of any set IsNewSet does not count as created by the batch (one that existed, or any in a small batch).
    private ValueChange MoveValue(ValueKey value, long delta, long firstLsn)
    {
        // A value the batch asserted is still most often new: try the insert first, one statement then.
        if (ReadAhead is not null && ReadAhead.TryValue(value, out var read) && (read is not null || firstLsn != 0))
        {
            // Read ahead: the new support from memory, written back many rows per statement.
            var (before, first) = read ?? (0, firstLsn);
            _setRowWrites!.PutValue(value, before + delta, first);
            ReadAhead.ValueWritten(value, before + delta, first);
            if (read is null) _newSets!.ValueCreated(value, delta);
            return new ValueChange(first, before, before + delta, IsNew: read is null);
        }
        if (firstLsn != 0 && _insertNewValue.Execute(value.Subject, value.Predicate, value.ObjectType, value.Object, delta, firstLsn) == 1)
        {
            _newSets?.ValueCreated(value, delta);
            return new ValueChange(firstLsn, 0, delta, IsNew: true);
        }
        if (_addToValue.Row(value.Subject, value.Predicate, value.ObjectType, value.Object, delta) is not { } row)
            throw new InvalidOperationException($"A vote moves a value of ({value.Subject}, {value.Predicate}) that the views do not hold.");
        long after = (long)row[0]!;
        return new ValueChange((long)row[1]!, after - delta, after, IsNew: false);
    }

    /// <inheritdoc />
    public bool AddToSet(SetKey set, long totalDelta, int newValues, int newAssertions)
    {
        // A set is made by its first assertions: a set the batch creates is a buffered plain insert; without
        // NewSetRows (the integrity check) a batch that asserts into a set tries the insert first (one statement
        // for a new set, and the insert's success says it was created now).
        if (newAssertions > 0 && IsNewSet(set))
        {
            _setRowWrites!.AddSet(set, totalDelta, newValues, newAssertions);
            _newSets!.SetCreated(set, totalDelta, newValues);
            return true;
        }
        if (ReadAhead is not null && ReadAhead.TrySet(set, out var read) && (read is not null || newAssertions > 0))
        {
            var (total, candidates, assertions) = read ?? (0, 0, 0);
            (total, candidates, assertions) = (total + totalDelta, candidates + newValues, assertions + newAssertions);
            _setRowWrites!.PutSet(set, total, candidates, assertions);
            ReadAhead.SetWritten(set, total, candidates, assertions);
            Tallies?.SetMoved(set, total, candidates);
            if (read is null) _newSets!.SetCreated(set, total, candidates);
            return read is null;
        }
        if (newAssertions > 0 && _insertNewSet.Execute(set.Subject, set.Predicate, totalDelta, (long)newValues, (long)newAssertions) == 1)
        {
            _newSets?.SetCreated(set, totalDelta, newValues);
            Tallies?.SetMoved(set, totalDelta, newValues);
            return true;
        }
        // Votes alone never move a set the views do not hold (their value would be missing first).
        if (_addToSet.Row(set.Subject, set.Predicate, totalDelta, (long)newValues, (long)newAssertions) is not { } row)
            throw new InvalidOperationException($"A vote moves the set ({set.Subject}, {set.Predicate}) that the views do not hold.");
        Tallies?.SetMoved(set, (long)row[0]!, (long)row[1]!);
        return false;
    }

    /// <inheritdoc />
    public IReadOnlyList<ValueTally> Of(SetKey set)
    {
        if (ReadAhead is not null && ReadAhead.TryValuesOf(set, out var known)) return known;
        _setRowWrites?.FlushValues();
        var values = new List<ValueTally>();
        _valuesOf.ForEachRow([set.Subject, set.Predicate], row => values.Add(new ValueTally((long)row.Value(0)!, (long)row.Value(1)!)));
        return values;
    }

    /// <summary>
    /// Reads ahead the rows the collected batch will update in existing sets (see <see cref="ViewReadAhead"/>), given
    /// the LSNs its votes' targets have; nothing without <see cref="NewSetRows"/>.
    /// </summary>
    public void ReadAheadFor(IEnumerable<long> voteTargets)
    {
        if (ReadAhead is null || _newSets is null) return;
        var targets = voteTargets.Where(lsn => !_newSets.AssertedAt(lsn)).ToList();
        targets.Sort(); // in the ledger's order (see KeyOrder)
        ReadAhead.Read(targets, _newSets.AssertedValues, IsNewSet);
    }

    // A set the batch asserts into that did not exist before it (asked once per batch, for all of them), whose rows
    // go in as plain inserts (see SetRowWrites). A batch of fewer sets than one multi-row statement holds (a few
    // writers' single ASSERTs) would only add a question per set to the insert-first path's statement per row, so it
    // keeps that path.
    private bool IsNewSet(SetKey set)
    {
        if (_newSets is null || _setRowWrites is null || _newSets.AssertedSets.Count < MultiRowInsert.RowsPerStatement) return false;
        if (!_newSets.AssertsInto(set)) return false;
        // The sets that existed, not those that did not: where a batch creates sets, the existing ones are few.
        _newSets.Existing ??= _setRowWrites.Existing(_newSets.AssertedSets);
        return !_newSets.Existing.Contains(set);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _setRowWrites?.Dispose();
        ReadAhead?.Dispose();
        foreach (var statement in new[] { _keyAt, _keyOf, _addToValue, _insertNewValue, _insertNewSet, _addToSet, _valuesOf })
            statement.Dispose();
        _currentVotes.Dispose();
        Targets.Dispose();
    }
}
