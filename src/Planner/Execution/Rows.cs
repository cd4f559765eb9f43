using StemeQL.Core.Model;
using StemeQL.Planner.Binding;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Execution;

/// <summary>Builds relation rows from stored records, in the column order of <see cref="Relation"/>.</summary>
internal static class Rows
{
    /// <summary>
    /// An <c>assertions</c> row; the lens columns are NULL for ledger rows, and the hash is NULL unless
    /// <paramref name="withHash"/> (a query that never reads it need not make its text).
    /// </summary>
    public static StemeValue[] Assertion(StoredAssertion stored, bool withHash, double? confidence = null, double? support = null, int? candidates = null)
    {
        var a = stored.Assertion;
        return
        [
            withHash ? StemeValue.Text(a.Hash.ToString()) : StemeValue.Null, StemeValue.Text(a.Subject), StemeValue.Text(a.Predicate),
            a.Object, StemeValue.Text(a.Object.ObjectType.Name()), StemeValue.Text(a.Epoch), StemeValue.Text(a.Agent),
            StemeValue.Timestamp(stored.AssertedAt), StemeValue.Integer(stored.Lsn),
            confidence is { } c ? StemeValue.Real(c) : StemeValue.Null,
            support is { } s ? StemeValue.Real(s) : StemeValue.Null,
            candidates is { } n ? StemeValue.Integer(n) : StemeValue.Null,
        ];
    }

    /// <summary>A <c>votes</c> row; the voted hash is NULL unless <paramref name="withHash"/>.</summary>
    public static StemeValue[] Vote(StoredVote vote, bool withHash) =>
    [
        withHash ? StemeValue.Text(vote.Assertion.ToString()) : StemeValue.Null, StemeValue.Text(vote.Agent), StemeValue.Real(vote.Weight),
        StemeValue.Timestamp(vote.VotedAt), StemeValue.Integer(vote.Lsn),
    ];

    /// <summary>The <c>stemeql_status</c> row.</summary>
    public static StemeValue[] Status(StoreStatus status) =>
    [
        StemeValue.Integer(status.DurableLsn), StemeValue.Integer(status.IngestedLsn), StemeValue.Integer(status.MaterializedLsn),
        StemeValue.Integer(status.LagLsns), StemeValue.Real(status.LagMilliseconds), StemeValue.Integer(status.JournalSegments),
        StemeValue.Integer(status.JournalBytes), StemeValue.Boolean(status.ReadOnly),
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

    /// <summary>A materialized view row as an <c>assertions</c> row.</summary>
    public static StemeValue[] View(ViewRow row, bool withHash) =>
        Assertion(row.Winner, withHash, row.Confidence, Weights.FromUnits(row.SupportUnits), row.Candidates);
}
