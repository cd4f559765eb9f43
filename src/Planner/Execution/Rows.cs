using StemeQL.Core.Model;
using StemeQL.Planner.Binding;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Execution;

/// <summary>Builds relation rows from stored records, in the column order of <see cref="Relation"/>.</summary>
internal static class Rows
{
    /// <summary>
    /// An <c>assertions</c> row, written into <paramref name="row"/> (12 values); the lens columns are NULL
    /// for ledger rows, and the hash is NULL unless <paramref name="withHash"/> (a query that never reads it
    /// need not make its text).
    /// </summary>
    public static StemeValue[] Assertion(StoredAssertion stored, bool withHash, StemeValue[] row)
    {
        var a = stored.Assertion;
        Winner(row, withHash, a.Hash, a.Subject, a.Predicate, a.Object, a.Epoch, a.Agent, stored.AssertedAt, stored.Lsn);
        row[9] = row[10] = row[11] = StemeValue.Null;
        return row;
    }

    /// <summary>A view row's values as an <c>assertions</c> row, written into <paramref name="row"/>: the winner, then its lens columns.</summary>
    public static StemeValue[] View(in ViewRowValues v, bool withHash, StemeValue[] row)
    {
        Winner(row, withHash, v.Hash, v.Subject, v.Predicate, v.Object, v.Epoch, v.Agent, v.AssertedAt, v.Lsn);
        row[9] = StemeValue.Real(v.Share);
        row[10] = StemeValue.Real(Weights.FromUnits(v.SupportUnits));
        row[11] = StemeValue.Integer(v.Candidates);
        return row;
    }

    /// <summary>A materialized view row as an <c>assertions</c> row, written into <paramref name="into"/>.</summary>
    public static StemeValue[] View(ViewRow row, bool withHash, StemeValue[] into) => View(ViewRowValues.Of(row), withHash, into);

    // The first nine columns, an assertion's: the hash only when asked for (a query that never reads it need not make its text).
    private static void Winner(StemeValue[] row, bool withHash, ContentHash hash, string subject, string predicate, StemeValue @object,
        string epoch, string agent, DateTime assertedAt, long lsn)
    {
        row[0] = withHash ? StemeValue.Text(hash.ToString()) : StemeValue.Null;
        row[1] = StemeValue.Text(subject);
        row[2] = StemeValue.Text(predicate);
        row[3] = @object;
        row[4] = StemeValue.Text(@object.ObjectType.Name());
        row[5] = StemeValue.Text(epoch);
        row[6] = StemeValue.Text(agent);
        // A store leaves the time default when the query does not read it: converting that one (a local time, to
        // UTC) cost a time-zone lookup per row for a value nobody reads.
        row[7] = assertedAt == default ? StemeValue.Null : StemeValue.Timestamp(assertedAt);
        row[8] = StemeValue.Integer(lsn);
    }

    /// <summary>
    /// The value at <paramref name="ordinal"/> of the <c>assertions</c> row a cursor is on (in the order of
    /// <see cref="Assertion"/>), decoded now: the hash's text is made only when its column is read.
    /// </summary>
    public static StemeValue AssertionValue(IAssertionCursor row, int ordinal) => ordinal switch
    {
        0 => StemeValue.Text(row.Hash.ToString()),
        1 => StemeValue.Text(row.Subject),
        2 => StemeValue.Text(row.Predicate),
        3 => row.Object,
        4 => StemeValue.Text(row.ObjectType.Name()),
        5 => StemeValue.Text(row.Epoch),
        6 => StemeValue.Text(row.Agent),
        7 => StemeValue.Timestamp(row.AssertedAt),
        8 => StemeValue.Integer(row.Lsn),
        _ => StemeValue.Null, // confidence, support and candidates belong to lens rows
    };

    /// <summary>True when <see cref="AssertionValue"/> is NULL at <paramref name="ordinal"/> for every ledger row (the lens columns).</summary>
    public static bool AssertionValueIsNull(int ordinal) => ordinal > 8;

    /// <summary>The ordinal of the hash column in <c>assertions</c> and <c>votes</c> rows (<c>hash</c>, <c>assertion</c>).</summary>
    public const int HashOrdinal = 0;

    /// <summary>
    /// The parts of a stored assertion that <see cref="Assertion"/> needs to fill the <c>assertions</c>
    /// columns whose bits are set in <paramref name="columns"/> (see <see cref="Plans.QueryPlan.ColumnsRead"/>).
    /// </summary>
    public static AssertionFields AssertionFieldsFor(ulong columns)
    {
        var fields = AssertionFields.None;
        if ((columns & (1UL << HashOrdinal)) != 0) fields |= AssertionFields.Hash;
        if ((columns & (1UL << 1)) != 0) fields |= AssertionFields.Subject;
        if ((columns & (1UL << 2)) != 0) fields |= AssertionFields.Predicate;
        if ((columns & (3UL << 3)) != 0) fields |= AssertionFields.Object;
        if ((columns & (1UL << 5)) != 0) fields |= AssertionFields.Epoch;
        if ((columns & (1UL << 6)) != 0) fields |= AssertionFields.Agent;
        if ((columns & (1UL << 7)) != 0) fields |= AssertionFields.AssertedAt;
        if ((columns & (7UL << 9)) != 0) fields |= AssertionFields.Tallies; // confidence, support and candidates
        return fields; // lsn is always read; lineage is no column
    }

    /// <summary>A <c>votes</c> row, written into <paramref name="row"/> (5 values); the voted hash is NULL unless <paramref name="withHash"/>.</summary>
    public static StemeValue[] Vote(StoredVote vote, bool withHash, StemeValue[] row)
    {
        row[0] = withHash ? StemeValue.Text(vote.Assertion.ToString()) : StemeValue.Null;
        row[1] = StemeValue.Text(vote.Agent);
        row[2] = StemeValue.Real(vote.Weight);
        row[3] = StemeValue.Timestamp(vote.VotedAt);
        row[4] = StemeValue.Integer(vote.Lsn);
        return row;
    }

    /// <summary>The <c>stemeql_status</c> row.</summary>
    public static StemeValue[] Status(StoreStatus status) =>
    [
        StemeValue.Integer(status.DurableLsn), StemeValue.Integer(status.IngestedLsn), StemeValue.Integer(status.MaterializedLsn),
        StemeValue.Integer(status.LagLsns), StemeValue.Real(status.LagMilliseconds), StemeValue.Integer(status.LogFiles),
        StemeValue.Integer(status.LogBytes), StemeValue.Boolean(status.ReadOnly),
        status.Failure is null ? StemeValue.Null : StemeValue.Text(status.Failure),
        status.Recovered is null ? StemeValue.Null : StemeValue.Text(status.Recovered),
    ];

    /// <summary>A <c>stemeql_check</c> row.</summary>
    public static StemeValue[] Problem(IntegrityProblem problem) =>
    [
        StemeValue.Text(problem.Kind),
        problem.Lsn is { } lsn ? StemeValue.Integer(lsn) : StemeValue.Null,
        problem.Hash is { } hash ? StemeValue.Text(hash.ToString()) : StemeValue.Null,
        StemeValue.Text(problem.Detail),
    ];

}
