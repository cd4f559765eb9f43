using Microsoft.Data.Sqlite;
using StemeQL.Core.Lenses;
using StemeQL.Core.Model;

namespace StemeQL.Storage.Embedded;

/// <summary>The key of a stored assertion's candidate set and value, as the views need it.</summary>
/// <param name="Subject">The set's subject.</param>
/// <param name="Predicate">The set's predicate.</param>
/// <param name="ObjectType">The value's type.</param>
/// <param name="Object">The value as stored (ready to bind again).</param>
internal readonly record struct ValueKey(string Subject, string Predicate, long ObjectType, object Object) : IValueKey
{
    /// <inheritdoc />
    public SetKey Set => new(Subject, Predicate);

    // Stored values compare by content: two byte arrays of one value are one key.
    public bool Equals(ValueKey other) =>
        ObjectType == other.ObjectType && Subject == other.Subject && Predicate == other.Predicate &&
        (Object is byte[] a && other.Object is byte[] b ? a.AsSpan().SequenceEqual(b) : Object.Equals(other.Object));

    public override int GetHashCode() =>
        HashCode.Combine(Subject, Predicate, ObjectType, Object is byte[] bytes ? ByteHash(bytes) : Object.GetHashCode());

    private static int ByteHash(byte[] bytes)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }
}

/// <summary>
/// The writer connection's ledger statements: transaction control, existence checks and inserts
/// into <c>assertions</c> and <c>votes</c>. Used only under the store's write lock.
/// </summary>
internal sealed class LedgerWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly PreparedSql _begin;
    private readonly PreparedSql _commit;
    private readonly PreparedSql _rollback;
    private readonly PreparedSql _insertAssertion;
    private readonly PreparedSql _insertVote;
    private readonly PreparedSql _insertVoteRows;
    private readonly PreparedSql _insertBatchTime;

    /// <summary>Votes inserted per multi-row statement: fewer statements is most of the ingest speed.</summary>
    public const int VoteRowsPerStatement = 64;

    /// <summary>Prepares the statements on an open connection whose schema exists.</summary>
    public LedgerWriter(SqliteConnection connection)
    {
        _connection = connection;
        // Plain BEGIN/COMMIT statements: the SqliteTransaction object would force every cached command
        // to be re-bound to each new transaction.
        _begin = new PreparedSql(connection, "BEGIN IMMEDIATE");
        _commit = new PreparedSql(connection, "COMMIT");
        _rollback = new PreparedSql(connection, "ROLLBACK");
        _insertAssertion = new PreparedSql(connection, """
            INSERT INTO assertions(lsn, hash, subject, predicate, object_type, object, epoch, agent, confidence, lineage, asserted_at)
            VALUES ($lsn, $hash, $subject, $predicate, $type, $object, $epoch, $agent, $confidence, $lineage, $at)
            """, "lsn", "hash", "subject", "predicate", "type", "object", "epoch", "agent", "confidence", "lineage", "at");
        _insertVote = new PreparedSql(connection,
            "INSERT INTO votes(lsn, assertion, agent, weight, voted_at) VALUES ($lsn, $assertion, $agent, $weight, $at)",
            "lsn", "assertion", "agent", "weight", "at");
        // OR FAIL: a failure rolls back the whole transaction anyway, so SQLite need not keep a statement
        // journal (a temp file copy of every page the statement touches) to undo one statement; with
        // the default (ABORT) that copy was most of the ingestor's system calls.
        _insertVoteRows = new PreparedSql(connection,
            "INSERT OR FAIL INTO votes(lsn, assertion, agent, weight, voted_at) VALUES " +
            string.Join(", ", Enumerable.Range(0, VoteRowsPerStatement).Select(i => $"($lsn{i}, $assertion{i}, $agent{i}, $weight{i}, $at{i})")),
            [.. Enumerable.Range(0, VoteRowsPerStatement).SelectMany(i => new[] { $"lsn{i}", $"assertion{i}", $"agent{i}", $"weight{i}", $"at{i}" })]);

        _insertBatchTime = new PreparedSql(connection, "INSERT INTO batch_times(at, last_lsn) VALUES ($at, $lsn)", "at", "lsn");
    }

    /// <summary>Starts the write transaction.</summary>
    public void Begin() => _begin.Execute();

    /// <summary>Commits the write transaction.</summary>
    public void Commit() => _commit.Execute();

    /// <summary>Whether commits fsync SQLite's WAL (FULL) or leave it to checkpoints (NORMAL, the default here).</summary>
    public void SyncCommits(bool full) => SqliteRuntime.Execute(_connection, full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");

    /// <summary>Rolls back, if SQLite has not already done so after an error.</summary>
    public void Rollback()
    {
        if (_connection.State != System.Data.ConnectionState.Open) return;
        try
        {
            _rollback.Execute();
        }
        catch (SqliteException)
        {
            // Some errors (disk full, I/O) end the transaction themselves: there is nothing left to undo.
        }
    }

    /// <summary>Inserts a new assertion.</summary>
    public void InsertAssertion(Assertion assertion, long lsn, long ticks) => _insertAssertion.Execute(
        lsn, ValueCodec.HashToColumn(assertion.Hash), assertion.Subject, assertion.Predicate,
        (long)assertion.Object.ObjectType, ValueCodec.ToColumn(assertion.Object), assertion.Epoch, assertion.Agent,
        assertion.Confidence, ValueCodec.LineageToColumn(assertion.Lineage), ticks);

    /// <summary>Inserts a vote.</summary>
    public void InsertVote(Vote vote, long lsn, long ticks) =>
        _insertVote.Execute(lsn, ValueCodec.HashToColumn(vote.Assertion), vote.Agent, vote.Weight, ticks);

    /// <summary>Records the time of a journal batch whose operations end at <paramref name="lastLsn"/>.</summary>
    public void InsertBatchTime(long ticks, long lastLsn) => _insertBatchTime.Execute(ticks, lastLsn);

    /// <summary>Inserts exactly <see cref="VoteRowsPerStatement"/> votes with one statement.</summary>
    public void InsertVoteRows(ReadOnlySpan<(Vote Vote, long Lsn)> votes, long ticks)
    {
        if (votes.Length != VoteRowsPerStatement)
            throw new ArgumentException($"Exactly {VoteRowsPerStatement} votes go in one statement.", nameof(votes));
        var values = new object?[VoteRowsPerStatement * 5];
        for (int i = 0; i < votes.Length; i++)
        {
            var (vote, lsn) = votes[i];
            values[i * 5] = lsn;
            values[i * 5 + 1] = ValueCodec.HashToColumn(vote.Assertion);
            values[i * 5 + 2] = vote.Agent;
            values[i * 5 + 3] = vote.Weight;
            values[i * 5 + 4] = ticks;
        }
        _insertVoteRows.Execute(values);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var statement in new[] { _begin, _commit, _rollback, _insertAssertion, _insertVote, _insertVoteRows, _insertBatchTime })
            statement.Dispose();
    }
}
