using System.Data;
using Npgsql;
using NpgsqlTypes;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using static StemeQL.Storage.Postgres.PgCommands;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// Whether a write whose connection was lost in the round trip that commits it was committed. The write is noted
/// before its commit is sent; after a loss its last LSN's row is looked for on a new connection,
/// under the clock lock, which the lost transaction held until it ended (committed, or rolled back by a server that
/// saw its client go), so the answer is final. A row another writer put at the same LSN after a rollback differs from
/// the noted one: an assertion by its hash, a vote by its target, agent, weight and write time.
/// </summary>
internal sealed class PgCommitCheck
{
    // Long enough for the server to notice a client that is gone; past it the outcome stays unknown.
    private const string LockTimeout = "SET LOCAL lock_timeout = '5s'";

    private const string AssertionSql = "SELECT EXISTS (SELECT 1 FROM assertions WHERE lsn = $1 AND hash = $2)";

    private const string VoteSql =
        "SELECT EXISTS (SELECT 1 FROM votes WHERE lsn = $1 AND assertion = $2 AND agent = $3 AND weight = $4 AND voted_at = $5)";

    private PgSequencedWrite? _write;
    private long _ticks;

    /// <summary>True once the commit's round trip is under way: a loss from then on leaves the outcome unknown.</summary>
    public bool Sent => _write is not null;

    /// <summary>The outcomes the write returns if it was committed.</summary>
    public WriteOutcome[] Outcomes { get; private set; } = [];

    /// <summary>The write's last LSN.</summary>
    public long LastLsn => _write?.LastLsn ?? 0;

    /// <summary>
    /// Notes the write, just before its commit is sent. Only references are kept: the row to look for is built if
    /// a loss makes it needed, so a write that commits pays nothing for the check.
    /// </summary>
    public void Sending(PgSequencedWrite write, long ticks, WriteOutcome[] outcomes) => (_write, _ticks, Outcomes) = (write, ticks, outcomes);

    /// <summary>True when the write was committed, false when it was not; throws when the server cannot tell yet.</summary>
    public bool Committed(NpgsqlConnection connection)
    {
        using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
        using (var timeout = Create(connection, transaction, LockTimeout)) timeout.ExecuteNonQuery();
        PgClock.Lock(connection, transaction);
        using var command = LastRowLookup(connection, transaction);
        bool found = (bool)command.ExecuteScalar()!;
        transaction.Rollback();
        return found;
    }

    // The write's last LSN holds its last vote or its last assertion, whichever came last.
    private NpgsqlCommand LastRowLookup(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var write = _write ?? throw new InvalidOperationException("No commit was sent.");
        if (write.Votes.Count > 0 && write.Votes[^1].Lsn == write.LastLsn)
        {
            var vote = write.Votes[^1].Vote;
            return Create(connection, transaction, VoteSql, Long(write.LastLsn), Bytes(vote.Assertion.Bytes.ToArray()),
                Bytes(PgText.ToColumn(vote.Agent)), (NpgsqlDbType.Double, vote.Weight), Long(_ticks));
        }
        return Create(connection, transaction, AssertionSql, Long(write.LastLsn), Bytes(write.Assertions[^1].Assertion.Hash.Bytes.ToArray()));
    }
}
