using StemeQL.Tests.Support;

namespace StemeQL.Tests.Durability;

/// <summary>
/// A data folder reopened in this process after its writer was killed: everything it holds, read
/// through StemeQL, and the checks every crash test makes on it.
/// </summary>
internal sealed class RecoveredStore : IDisposable
{
    private readonly StemeConnection _connection;

    private RecoveredStore(StemeConnection connection)
    {
        _connection = connection;
        using (var command = new StemeCommand("SELECT hash, lsn FROM assertions", connection))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                Assert.True(Assertions.TryAdd(reader.GetString(0), reader.GetInt64(1)), $"Assertion {reader.GetString(0)} is stored twice.");
            }
        }
        using (var command = new StemeCommand("SELECT assertion, lsn, weight FROM votes", connection))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                Assert.True(Votes.TryAdd(reader.GetInt64(1), (reader.GetString(0), reader.GetDouble(2))), $"Two votes have LSN {reader.GetInt64(1)}.");
            }
        }
        MaxLsn = Math.Max(Assertions.Count == 0 ? 0 : Assertions.Values.Max(), Votes.Count == 0 ? 0 : Votes.Keys.Max());
    }

    /// <summary>Stored assertions: hash → LSN.</summary>
    public Dictionary<string, long> Assertions { get; } = new(StringComparer.Ordinal);

    /// <summary>Stored votes: LSN → (assertion, weight).</summary>
    public Dictionary<long, (string Hash, double Weight)> Votes { get; } = [];

    /// <summary>The highest stored LSN.</summary>
    public long MaxLsn { get; }

    /// <summary>Opens the folder for writing, as a fresh process would after the crash, and reads it all.</summary>
    public static RecoveredStore Open(string folder)
    {
        // Closed with the connection: the next round's child process must be able to take the folder.
        var connection = new StemeConnection(new StemeConnectionStringBuilder { DataSource = folder, Agent = "verifier", StoreIdleTimeout = 0 }.ConnectionString);
        try
        {
            connection.Open();
            return new RecoveredStore(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Every acknowledged assertion and vote is stored, at the LSN it was acknowledged with.</summary>
    public void AssertHoldsEveryAcknowledgedWrite(AckLog log)
    {
        foreach (var (hash, lsn) in log.Assertions)
        {
            Assert.True(Assertions.TryGetValue(hash, out long stored), $"Acknowledged assertion {hash} (LSN {lsn}) was lost.");
            Assert.True(stored == lsn, $"Acknowledged assertion {hash} has LSN {stored}, not the acknowledged {lsn}.");
        }
        foreach (var (lsn, (hash, weight)) in log.Votes)
        {
            Assert.True(Votes.TryGetValue(lsn, out var stored), $"Acknowledged vote at LSN {lsn} (on {hash}) was lost.");
            Assert.True(stored == (hash, weight), $"The vote at LSN {lsn} is {stored}, not the acknowledged ({hash}, {weight}).");
        }
        var assertionLsns = Assertions.Values.ToHashSet();
        foreach (var (first, last, _) in log.Writes)
        {
            for (long lsn = first; lsn <= last; lsn++)
            {
                Assert.True(assertionLsns.Contains(lsn) || Votes.ContainsKey(lsn), $"LSN {lsn} of the acknowledged write {first}..{last} is missing.");
            }
        }
    }

    /// <summary>Assertions and votes together hold each LSN 1..max exactly once.</summary>
    public void AssertNoLsnGaps()
    {
        foreach (long lsn in Assertions.Values)
            Assert.False(Votes.ContainsKey(lsn), $"LSN {lsn} belongs to an assertion and a vote.");
        long count = Assertions.Count + Votes.Count;
        Assert.True(count == MaxLsn,
            $"{count} assertions and votes are stored but the highest LSN is {MaxLsn}: a write is partly applied or an LSN was skipped.");
        Assert.True(Assertions.Values.All(l => l >= 1) && Votes.Keys.All(l => l >= 1), "An LSN below 1 is stored.");
    }

    /// <summary>
    /// The write that was in flight at the kill is stored whole or not at all: the stored history ends
    /// where the acknowledged one did, or exactly one whole write later.
    /// </summary>
    public void AssertInFlightWriteAllOrNothing(AckLog log)
    {
        if (log.InFlight is not long count)
        {
            Assert.True(MaxLsn == log.KnownDurableLsn,
                $"The store ends at LSN {MaxLsn}, but nothing was in flight and LSN {log.KnownDurableLsn} was the last acknowledged.");
            return;
        }
        long whole = log.InFlightBase + count;
        if (log.InFlightPartlyReported)
        {
            Assert.True(MaxLsn == whole, $"Part of the write of LSNs {log.InFlightBase + 1}..{whole} was acknowledged, but the store ends at LSN {MaxLsn}.");
        }
        else
        {
            Assert.True(MaxLsn == log.InFlightBase || MaxLsn == whole,
                $"The write in flight at the kill would take LSNs {log.InFlightBase + 1}..{whole}, but the store ends at LSN {MaxLsn}: it is half-applied.");
        }
    }

    /// <summary>
    /// The packed vote indexes (vote_targets, vote_agents) list every stored vote exactly once, under its own target and
    /// agent: replay from the ingest watermark wrote each chunk's rows once. Read from store.db beside the open store.
    /// </summary>
    public void AssertPackedVoteIndexesMatchLedger(string folder)
    {
        var problems = new List<Storage.Abstractions.IntegrityProblem>();
        Storage.Embedded.SqliteRuntime.EnsureInitialised();
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, Storage.Embedded.EmbeddedStore.DatabaseFileName), Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly, Pooling = false,
        }.ToString());
        connection.Open();
        Storage.Embedded.SqliteRuntime.Execute(connection, "BEGIN");
        long votes = (long)Storage.Embedded.SqliteRuntime.Scalar(connection, "SELECT count(*) FROM votes")!;
        Storage.Embedded.PackedVoteCheck.Run(connection, votes, problems.Add, null, CancellationToken.None);
        Storage.Embedded.SqliteRuntime.Execute(connection, "ROLLBACK");
        Assert.True(problems.Count == 0, "The packed vote indexes disagree with the ledger: " + string.Join("; ", problems.Take(5).Select(p => p.Detail)));
    }

    /// <summary>After a Strong read, the durable, ingested and materialized watermarks all stand at the last LSN.</summary>
    public void AssertCaughtUp()
    {
        // A Strong read first (this connection's default): it waits for the views if they lag.
        using (var read = new StemeCommand("SELECT hash FROM assertions LIMIT 1", _connection)) read.ExecuteScalar();
        using var command = new StemeCommand("SELECT durable_lsn, ingested_lsn, materialized_lsn, lag_lsns, read_only, failure FROM stemeql_status", _connection);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), "stemeql_status returned no row.");
        var status = $"durable {reader.GetInt64(0)}, ingested {reader.GetInt64(1)}, materialized {reader.GetInt64(2)}, lag {reader.GetInt64(3)}, failure {reader.GetValue(5)}";
        Assert.True(reader.GetInt64(0) == MaxLsn && reader.GetInt64(1) == MaxLsn && reader.GetInt64(2) == MaxLsn && reader.GetInt64(3) == 0,
            $"After recovery stemeql_status shows {status}; every watermark should be {MaxLsn}.");
        Assert.False(reader.GetBoolean(4));
        Assert.True(reader.IsDBNull(5), $"The recovered store reports a failure: {status}.");
    }

    /// <summary>
    /// For each subject and materialized lens, the view (MaterializedViewLookup) equals the lens
    /// evaluated over the whole ledger (LensScan, forced with AS OF the largest LSN). Returns the rows compared.
    /// </summary>
    public int AssertViewsEqualRecomputation(IEnumerable<string> subjects, bool checkPlans)
    {
        int rows = 0;
        foreach (string lens in new[] { "consensus", "recency" })
        {
            foreach (string subject in subjects)
            {
                const string columns = "hash, subject, predicate, object, lsn, confidence, support, candidates";
                string view = $"SELECT {columns} FROM assertions USING LENS {lens} WHERE subject = '{subject}'";
                string scan = $"SELECT {columns} FROM assertions USING LENS {lens} AS OF LSN 9223372036854775807 WHERE subject = '{subject}'";
                if (checkPlans)
                {
                    Assert.Equal("MaterializedViewLookup", FirstOperator(view));
                    Assert.Equal("LensScan", FirstOperator(scan));
                }
                var expected = ResultRows.Of(_connection, scan);
                Assert.Equal(expected, ResultRows.Of(_connection, view));
                rows += expected.Count;
            }
        }
        return rows;
    }

    private string FirstOperator(string sql)
    {
        using var command = new StemeCommand("EXPLAIN " + sql, _connection);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return reader.GetString(1);
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
