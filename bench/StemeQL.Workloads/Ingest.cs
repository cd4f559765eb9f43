using System.Diagnostics;
using System.Globalization;
using StemeQL.Core.Model;

namespace StemeQL.Workloads;

/// <summary>
/// <c>ingest-votes</c> and <c>ingest-assertions</c>: durable ingest through StemeBulkLoader and
/// through StemeBatch, each beside a raw append of the same bytes in the same batches with an fsync
/// after each batch. The clock stops when the last write is acknowledged (durable); closing the
/// connection afterwards (the background ingest and views catching up) is timed apart.
/// </summary>
internal static class Ingest
{
    public const string Agent = "bench";

    public static void Votes(Options options)
    {
        long votes = options.Long("votes", 5_000_000, 200_000);
        int batch = options.Int("batch", 8_192, 8_192);
        long batchVotes = options.Long("dbatch-votes", votes, votes);
        int dbatch = options.Int("dbatch", 1_000, 1_000);
        int targets = options.Int("targets", 1_000, 1_000);
        int reps = options.Int("reps", 5, 2);
        string root = options.Text("dir", Path.GetTempPath());
        long voteBytes = JournalSize.Vote(Agent);

        var loader = new List<double>();
        var loaderClose = new List<double>();
        var batched = new List<double>();
        var rawLoader = new List<double>();
        var rawBatched = new List<double>();
        for (int rep = 0; rep < reps; rep++)
        {
            using (var scratch = Scratch.Create(root, "votes"))
            {
                var connection = scratch.Open(Agent);
                var hashes = CreateTargets(connection, targets);
                var clock = Stopwatch.StartNew();
                long written = new StemeBulkLoader(connection) { BatchSize = batch }.WriteVotes(VoteRows(hashes, votes));
                double seconds = clock.Elapsed.TotalSeconds;
                CheckDurable(connection, targets + votes, written == votes);
                clock.Restart();
                connection.Dispose();
                loaderClose.Add(clock.Elapsed.TotalSeconds);
                loader.Add(votes / seconds);
                rawLoader.Add(votes / RawBaselines.AppendAndSync(scratch.Path, JournalSize.Total(votes, voteBytes, batch), JournalSize.Total(batch, voteBytes, batch)));
            }
            using (var scratch = Scratch.Create(root, "votes-batch"))
            {
                using var connection = scratch.Open(Agent);
                var hashes = CreateTargets(connection, targets);
                double seconds = VoteBatches(connection, hashes, batchVotes, dbatch);
                CheckDurable(connection, targets + batchVotes, true);
                batched.Add(batchVotes / seconds);
                rawBatched.Add(batchVotes / RawBaselines.AppendAndSync(scratch.Path, JournalSize.Total(batchVotes, voteBytes, dbatch), JournalSize.Total(dbatch, voteBytes, dbatch)));
            }
            Progress(options, rep, reps);
        }

        var report = new Report(options, $"{votes:N0} votes, durable, {reps} repetitions");
        report.Row($"StemeBulkLoader, {batch:N0} votes/batch", "votes/s", loader, $"raw append + fsync, {JournalSize.Total(batch, voteBytes, batch):N0} B/batch", rawLoader);
        report.Row($"StemeBatch, {dbatch:N0} VOTE commands/batch", "votes/s", batched, $"raw append + fsync, {JournalSize.Total(dbatch, voteBytes, dbatch):N0} B/batch", rawBatched);
        report.Row("close after the bulk load (ingest + views catch up)", "s", loaderClose);
        report.Note($"A vote is {voteBytes} journal bytes; the raw baseline writes the same total ({JournalSize.Total(votes, voteBytes, batch) / 1e6:0.0} MB for the loader) in the same batch sizes to one file in the same folder, with Flush(true) after each batch.");
        report.Note($"StemeBatch runs {batchVotes:N0} votes; ratio = StemeQL votes/s ÷ raw votes/s (targets: ≥ 1,000,000 votes/s, ≥ 70% of raw).");
        report.Print();
    }

    public static void Assertions(Options options)
    {
        long count = options.Long("assertions", 500_000, 50_000);
        int batch = options.Int("batch", 8_192, 8_192);
        long batchCount = options.Long("dbatch-assertions", count, count);
        int dbatch = options.Int("dbatch", 1_000, 1_000);
        int reps = options.Int("reps", 5, 2);
        string root = options.Text("dir", Path.GetTempPath());

        var loader = new List<double>();
        var loaderClose = new List<double>();
        var batched = new List<double>();
        var rawLoader = new List<double>();
        var rawBatched = new List<double>();
        double opBytes = AverageAssertBytes(count);
        for (int rep = 0; rep < reps; rep++)
        {
            using (var scratch = Scratch.Create(root, "assertions"))
            {
                var connection = scratch.Open(Agent);
                var clock = Stopwatch.StartNew();
                long written = new StemeBulkLoader(connection) { BatchSize = batch }.WriteAssertions(AssertionRows(rep, count));
                double seconds = clock.Elapsed.TotalSeconds;
                CheckDurable(connection, count, written == count);
                clock.Restart();
                connection.Dispose();
                loaderClose.Add(clock.Elapsed.TotalSeconds);
                loader.Add(count / seconds);
                rawLoader.Add(count / RawBaselines.AppendAndSync(scratch.Path, JournalSize.Total(count, (long)opBytes, batch), JournalSize.Total(batch, (long)opBytes, batch)));
            }
            using (var scratch = Scratch.Create(root, "assertions-batch"))
            {
                using var connection = scratch.Open(Agent);
                double seconds = AssertBatches(connection, rep, batchCount, dbatch);
                CheckDurable(connection, batchCount, true);
                batched.Add(batchCount / seconds);
                rawBatched.Add(batchCount / RawBaselines.AppendAndSync(scratch.Path, JournalSize.Total(batchCount, (long)opBytes, dbatch), JournalSize.Total(dbatch, (long)opBytes, dbatch)));
            }
            Progress(options, rep, reps);
        }

        var report = new Report(options, $"{count:N0} assertions, durable, {reps} repetitions");
        report.Row($"StemeBulkLoader, {batch:N0} assertions/batch", "assertions/s", loader, "raw append + fsync, same bytes and batches", rawLoader);
        report.Row($"StemeBatch, {dbatch:N0} ASSERT commands/batch", "assertions/s", batched, "raw append + fsync, same bytes and batches", rawBatched);
        report.Row("close after the bulk load (ingest + views catch up)", "s", loaderClose);
        report.Note($"An assertion here is ~{opBytes:0} journal bytes (subject 'entity<n>', one of 8 predicates, a text object, default epoch). Each is new, so each is hashed (SHA-256) on the way in.");
        report.Note($"StemeBatch runs {batchCount:N0} assertions; ratio = StemeQL assertions/s ÷ raw (targets: ≥ 500,000 assertions/s, ≥ 70% of raw).");
        report.Print();
    }

    /// <summary>Bulk-asserts <paramref name="count"/> assertions to vote on and returns their hashes.</summary>
    public static string[] CreateTargets(StemeConnection connection, int count)
    {
        var rows = Enumerable.Range(0, count).Select(i => new BulkAssertion("target" + (i / 4).ToString(CultureInfo.InvariantCulture), "p" + (i % 4).ToString(CultureInfo.InvariantCulture), (long)i));
        new StemeBulkLoader(connection).WriteAssertions(rows);
        using var command = new StemeCommand("SELECT hash FROM assertions", connection);
        using var reader = command.ExecuteReader();
        var hashes = new List<string>(count);
        while (reader.Read()) hashes.Add(reader.GetString(0));
        return [.. hashes];
    }

    /// <summary>Vote i goes to a spread-out target with a varying weight, as many agents' votes would.</summary>
    public static IEnumerable<BulkVote> VoteRows(string[] targets, long count)
    {
        for (long i = 0; i < count; i++) yield return new BulkVote(targets[(int)(i * 7919 % targets.Length)], (i % 101) / 100.0);
    }

    public static void CheckDurable(StemeConnection connection, long expectedLsn, bool allWritten)
    {
        using var command = new StemeCommand("SELECT durable_lsn FROM stemeql_status", connection);
        long durable = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (!allWritten || durable != expectedLsn)
            throw new InvalidOperationException($"The store acknowledged up to LSN {durable}; expected {expectedLsn}.");
    }

    public static void Progress(Options options, int rep, int reps) =>
        Console.Error.WriteLine($"{options.Command}: repetition {rep + 1}/{reps} done");

    private static double VoteBatches(StemeConnection connection, string[] targets, long votes, int perBatch)
    {
        using var batch = connection.CreateBatch();
        for (int i = 0; i < perBatch; i++)
        {
            var command = new StemeBatchCommand("VOTE @h WEIGHT @w");
            command.Parameters.AddWithValue("h", "");
            command.Parameters.AddWithValue("w", 0.0);
            batch.BatchCommands.Add(command);
        }
        var clock = Stopwatch.StartNew();
        using var rows = VoteRows(targets, votes).GetEnumerator();
        for (long done = 0; done < votes; done += perBatch)
        {
            int n = (int)Math.Min(perBatch, votes - done);
            if (n < perBatch)
            {
                while (batch.BatchCommands.Count > n) batch.BatchCommands.RemoveAt(batch.BatchCommands.Count - 1);
            }
            for (int i = 0; i < n; i++)
            {
                rows.MoveNext();
                batch.BatchCommands[i].Parameters[0].Value = rows.Current.Assertion;
                batch.BatchCommands[i].Parameters[1].Value = rows.Current.Weight;
            }
            batch.ExecuteNonQuery();
        }
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>New assertions: 8 predicates per subject, a text object unique to the repetition.</summary>
    public static IEnumerable<BulkAssertion> AssertionRows(int rep, long count)
    {
        string[] predicates = ["name", "born", "died", "capital_of", "population", "member_of", "located_in", "instance_of"];
        for (long i = 0; i < count; i++)
        {
            yield return new BulkAssertion("entity" + (i / 8).ToString(CultureInfo.InvariantCulture), predicates[i % 8],
                "value " + rep.ToString(CultureInfo.InvariantCulture) + "." + i.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static double AverageAssertBytes(long count)
    {
        long sample = Math.Min(count, 10_000), total = 0, step = Math.Max(1, count / sample);
        long n = 0;
        foreach (var row in AssertionRows(0, count).Where((_, i) => i % step == 0).Take((int)sample))
        {
            total += JournalSize.Assert(new Assertion(row.Subject, row.Predicate, StemeValue.Text((string)row.Object), "", Agent));
            n++;
        }
        return total / (double)n;
    }

    private static double AssertBatches(StemeConnection connection, int rep, long count, int perBatch)
    {
        using var batch = connection.CreateBatch();
        for (int i = 0; i < perBatch; i++)
        {
            var command = new StemeBatchCommand("ASSERT (@s, @p, @o)");
            command.Parameters.AddWithValue("s", "");
            command.Parameters.AddWithValue("p", "");
            command.Parameters.AddWithValue("o", "");
            batch.BatchCommands.Add(command);
        }
        var clock = Stopwatch.StartNew();
        using var rows = AssertionRows(rep, count).GetEnumerator();
        for (long done = 0; done < count; done += perBatch)
        {
            int n = (int)Math.Min(perBatch, count - done);
            while (batch.BatchCommands.Count > n) batch.BatchCommands.RemoveAt(batch.BatchCommands.Count - 1);
            for (int i = 0; i < n; i++)
            {
                rows.MoveNext();
                var parameters = batch.BatchCommands[i].Parameters;
                parameters[0].Value = rows.Current.Subject;
                parameters[1].Value = rows.Current.Predicate;
                parameters[2].Value = rows.Current.Object;
            }
            batch.ExecuteNonQuery();
        }
        return clock.Elapsed.TotalSeconds;
    }
}
