using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Journal;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Reads the ledger's events in an LSN range back as journal batches, for the views to catch up from the ledger
/// rather than the journal. A crash between a chunk's two stages leaves the views behind the ledger; the frames of
/// those events are not needed again once ingested, so recovery does not read them (nor fail on damage in them).
/// </summary>
internal static class LedgerReplay
{
    private static readonly string AssertionsSql =
        $"SELECT {RowMapper.AssertionColumns} FROM assertions a WHERE a.lsn > $from AND a.lsn <= $upto ORDER BY a.lsn";

    // The target's hash by its LSN; a vote whose target row is missing reads as damage (RowMapper.Vote).
    private static readonly string VotesSql =
        $"SELECT {RowMapper.VoteColumns} FROM votes v LEFT JOIN assertions a ON a.lsn = v.assertion_lsn WHERE v.lsn > $from AND v.lsn <= $upto ORDER BY v.lsn";

    /// <summary>
    /// The events after <paramref name="from"/> up to <paramref name="upTo"/>, in LSN order, as batches of at most
    /// <paramref name="chunkLsns"/> LSNs, each read whole before it is returned (so the caller may write between them).
    /// </summary>
    public static IEnumerable<IReadOnlyList<JournalBatch>> Read(SqliteConnection connection, long from, long upTo, int chunkLsns)
    {
        for (long low = from; low < upTo; low += chunkLsns)
        {
            long high = Math.Min(upTo, low + chunkLsns);
            var ops = new List<(JournalOp Op, long Ticks)>();
            ReadRange(connection, AssertionsSql, low, high, reader =>
            {
                var stored = RowMapper.Assertion(new ReaderColumns(reader));
                ops.Add((new JournalAssert(stored.Lsn, stored.Assertion), stored.AssertedAt.Ticks));
            });
            ReadRange(connection, VotesSql, low, high, reader =>
            {
                var stored = RowMapper.Vote(new ReaderColumns(reader), AssertionFields.All);
                ops.Add((new JournalVote(stored.Lsn, new Vote(stored.Assertion, stored.Agent, stored.Weight)), stored.VotedAt.Ticks));
            });
            if (ops.Count > 0) yield return Batches(ops);
        }
    }

    private static void ReadRange(SqliteConnection connection, string sql, long low, long high, Action<SqliteDataReader> row)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$from", low);
        command.Parameters.AddWithValue("$upto", high);
        using var reader = command.ExecuteReader();
        while (reader.Read()) row(reader);
    }

    // One batch per run of consecutive LSNs written at the same time (a journal batch's LSNs are consecutive and share one time stamp).
    private static List<JournalBatch> Batches(List<(JournalOp Op, long Ticks)> ops)
    {
        ops.Sort((a, b) => a.Op.Lsn.CompareTo(b.Op.Lsn));
        var batches = new List<JournalBatch>();
        int start = 0;
        for (int i = 1; i <= ops.Count; i++)
        {
            if (i < ops.Count && ops[i].Ticks == ops[start].Ticks && ops[i].Op.Lsn == ops[i - 1].Op.Lsn + 1) continue;
            batches.Add(new JournalBatch(ops[start].Op.Lsn, ops[start].Ticks, ops.GetRange(start, i - start).ConvertAll(o => o.Op)));
            start = i;
        }
        return batches;
    }
}
