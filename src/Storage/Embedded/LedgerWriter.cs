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
    private readonly TypedRowInsert<LedgerAssertionRow> _assertions;
    private readonly TypedRowInsert<LedgerVoteRow> _votes;
    private readonly PackedVoteIndex _packedVotes;
    private readonly PreparedSql _insertBatchTime;

    /// <summary>Prepares the statements on an open connection whose schema exists.</summary>
    public LedgerWriter(SqliteConnection connection)
    {
        _connection = connection;
        // Plain BEGIN/COMMIT statements: the SqliteTransaction object would force every cached command
        // to be re-bound to each new transaction.
        _begin = new PreparedSql(connection, "BEGIN IMMEDIATE");
        _commit = new PreparedSql(connection, "COMMIT");
        _rollback = new PreparedSql(connection, "ROLLBACK");
        _assertions = new TypedRowInsert<LedgerAssertionRow>(connection, "assertions", LedgerAssertionRow.Columns);
        _votes = new TypedRowInsert<LedgerVoteRow>(connection, "votes", LedgerVoteRow.Columns);
        _packedVotes = new PackedVoteIndex(connection);
        _insertBatchTime = new PreparedSql(connection, "INSERT INTO batch_times(at, last_lsn) VALUES ($at, $lsn)", "at", "lsn");
    }

    /// <summary>Starts the write transaction.</summary>
    public void Begin() => _begin.Execute();

    /// <summary>Commits the write transaction.</summary>
    public void Commit() => _commit.Execute();

    /// <summary>Whether commits fsync SQLite's WAL (FULL) or leave it to checkpoints (NORMAL, the default here).</summary>
    public void SyncCommits(bool full) => SqliteRuntime.Execute(_connection, full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");

    /// <summary>Drops the buffered rows and rolls back, if SQLite has not already done so after an error.</summary>
    public void Rollback()
    {
        _assertions.Discard();
        _votes.Discard();
        _packedVotes.Discard();
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

    /// <summary>Inserts a new assertion (buffered: see <see cref="FlushRows"/>).</summary>
    public void InsertAssertion(Assertion assertion, long lsn, long ticks) => _assertions.Add(new LedgerAssertionRow(assertion, lsn, ticks));

    /// <summary>
    /// Inserts a vote on the assertion at <paramref name="targetLsn"/>, and notes it in the packed indexes by target and
    /// by agent (buffered: see <see cref="FlushRows"/>). Votes come in LSN order.
    /// </summary>
    public void InsertVote(Vote vote, long targetLsn, long lsn, long ticks)
    {
        _votes.Add(new LedgerVoteRow(lsn, targetLsn, vote.Agent, vote.Weight, ticks));
        _packedVotes.Add(targetLsn, vote.Agent, lsn);
    }

    /// <summary>Inserts the buffered ledger rows and the chunk's packed index rows; before the transaction commits.</summary>
    public void FlushRows()
    {
        _assertions.Flush();
        _votes.Flush();
        _packedVotes.Flush();
    }

    /// <summary>Records the time of a journal batch whose operations end at <paramref name="lastLsn"/>.</summary>
    public void InsertBatchTime(long ticks, long lastLsn) => _insertBatchTime.Execute(ticks, lastLsn);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var statement in new[] { _begin, _commit, _rollback, _insertBatchTime })
            statement.Dispose();
        _assertions.Dispose();
        _votes.Dispose();
        _packedVotes.Dispose();
    }
}

/// <summary>An <c>assertions</c> row: the assertion, its LSN and the time its batch was written, bound column by column.</summary>
internal readonly record struct LedgerAssertionRow(Assertion Assertion, long Lsn, long Ticks) : IBoundRow
{
    /// <summary>The columns, in bind order.</summary>
    public static readonly string[] Columns =
        ["lsn", "hash", "subject", "predicate", "object_type", "object", "epoch", "agent", "confidence", "lineage", "asserted_at"];

    /// <inheritdoc />
    public void BindTo(PreparedSql statement, int firstSlot)
    {
        var a = Assertion;
        statement.Bind(firstSlot, Lsn);
        statement.Bind(firstSlot + 1, a.Hash.Bytes);
        statement.Bind(firstSlot + 2, a.Subject);
        statement.Bind(firstSlot + 3, a.Predicate);
        statement.Bind(firstSlot + 4, (long)a.Object.ObjectType);
        statement.Bind(firstSlot + 5, ValueCodec.ToColumn(a.Object));
        statement.Bind(firstSlot + 6, a.Epoch);
        statement.Bind(firstSlot + 7, a.Agent);
        statement.Bind(firstSlot + 8, a.Confidence);
        statement.Bind(firstSlot + 9, ValueCodec.LineageToColumn(a.Lineage));
        statement.Bind(firstSlot + 10, Ticks);
    }
}
