using System.Diagnostics;
using System.Globalization;
using StemeQL.Tests.Support;
using Xunit.Abstractions;

namespace StemeQL.Tests.Durability;

/// <summary>
/// kill -9 at random moments: a child process (tests/StemeQL.CrashWriter) writes and prints every
/// acknowledged item; it is killed with SIGKILL, the folder is reopened here, and nothing
/// acknowledged may be missing, nothing unacknowledged half-applied, and the views must equal the
/// lenses recomputed over the whole ledger. The folder is reused from round to round, so each round
/// recovers a longer history.
/// </summary>
/// <remarks>
/// STEMEQL_CRASH_ITERATIONS sets the rounds (default 200), STEMEQL_CRASH_ROUNDS_PER_FOLDER how many of
/// them share a folder (default 50), and STEMEQL_CRASH_SEED replays a failing run (the seed is in the
/// failure message and the test output).
/// </remarks>
[Collection(DurabilityCollection.Name)]
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    // The crash writer's subjects (RandomWriter.SubjectCount of them: s0 .. s7).
    private static readonly string[] Subjects = [.. Enumerable.Range(0, 8).Select(i => "s" + i.ToString(CultureInfo.InvariantCulture))];

    [Fact]
    public void Acknowledged_writes_survive_kill_9_at_random_moments()
    {
        int iterations = EnvironmentNumber("STEMEQL_CRASH_ITERATIONS", 200);
        int roundsPerFolder = Math.Max(1, EnvironmentNumber("STEMEQL_CRASH_ROUNDS_PER_FOLDER", 50));
        int seed = EnvironmentNumber("STEMEQL_CRASH_SEED", Random.Shared.Next(1, 1_000_000));
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var phases = new Stopwatch[] { new(), new(), new() };
        int killedBeforeFirstAck = 0, inFlightStored = 0, inFlightDropped = 0, folders = 0;
        long acknowledged = 0, lsns = 0, viewRows = 0;
        TempFolderDatabase? database = null;
        var log = new AckLog();
        try
        {
            for (int i = 0; i < iterations; i++)
            {
                // The history accumulates over roundsPerFolder kills of one folder; a fresh folder after
                // that keeps each round's full check (which reads everything) from growing without bound.
                int round = i % roundsPerFolder;
                if (round == 0)
                {
                    acknowledged += log.Acknowledged;
                    lsns += log.KnownDurableLsn;
                    database?.Dispose();
                    database = new TempFolderDatabase();
                    log = new AckLog();
                    folders++;
                }
                string context = $"seed {seed}, round {i}";

                phases[0].Start();
                using (var child = ChildProcess.Start("write", database!.Folder, (seed + i).ToString(CultureInfo.InvariantCulture)))
                {
                    if (random.Next(5) == 0)
                    {
                        // Anywhere from start-up (the child's own recovery of the previous round) to its first writes.
                        Thread.Sleep(random.Next(0, 300));
                        killedBeforeFirstAck++;
                    }
                    else
                    {
                        child.WaitForLine(line => line.StartsWith("W ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
                        Thread.Sleep(random.Next(30, 401));
                    }
                    Assert.False(child.HasExited, $"The crash writer stopped before it was killed ({context}). {child.Describe()}");
                    child.KillHard();
                    log.AddRun(child.Lines);
                }
                phases[0].Stop();

                // Every round checks the whole ledger, and the views of two subjects (a different pair
                // each round); the last round on a folder checks the views of every subject.
                bool lastOnFolder = round == roundsPerFolder - 1 || i == iterations - 1;
                string[] subjects = lastOnFolder ? Subjects : [Subjects[2 * i % Subjects.Length], Subjects[((2 * i) + 1) % Subjects.Length]];
                try
                {
                    phases[1].Start();
                    using var store = RecoveredStore.Open(database.Folder);
                    store.AssertHoldsEveryAcknowledgedWrite(log);
                    store.AssertNoLsnGaps();
                    store.AssertInFlightWriteAllOrNothing(log);
                    store.AssertCaughtUp();
                    store.AssertPackedVoteIndexesMatchLedger(database.Folder);
                    phases[1].Stop();
                    phases[2].Start();
                    viewRows += store.AssertViewsEqualRecomputation(subjects, checkPlans: i == 0);
                    phases[2].Stop();
                    if (log.InFlight is > 0 && store.MaxLsn > log.InFlightBase) inFlightStored++;
                    else if (log.InFlight is > 0) inFlightDropped++;
                    log.Settle(store.MaxLsn);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    throw new Xunit.Sdk.XunitException($"Round {i} failed ({context}; set STEMEQL_CRASH_SEED={seed} to replay): {error.Message}");
                }
            }
        }
        finally
        {
            database?.Dispose();
        }
        acknowledged += log.Acknowledged;
        lsns += log.KnownDurableLsn;

        // The writer must have got somewhere, or the rounds above proved nothing.
        Assert.True(acknowledged > iterations, $"Only {acknowledged} items were acknowledged in {iterations} rounds.");
        Assert.True(viewRows > 0, "The views were empty in every round.");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kill -9: {iterations} rounds on {folders} folder(s) (seed {seed}; {killedBeforeFirstAck} killed before their first ack) in {clock.Elapsed.TotalSeconds:0.0} s " +
            $"= {clock.Elapsed.TotalMilliseconds / iterations:0} ms/round; {acknowledged} acknowledged items (assertions, votes, re-assertions), all recovered; " +
            $"{lsns} LSNs stored; writes in flight at the kill: {inFlightStored} found whole, {inFlightDropped} found absent, none partial; " +
            $"{viewRows} view rows equal to LensScan. Time: child runs {phases[0].Elapsed.TotalSeconds:0} s, " +
            $"reopen + ledger checks {phases[1].Elapsed.TotalSeconds:0} s, view checks {phases[2].Elapsed.TotalSeconds:0} s."));
    }

    [Fact]
    public void Bulk_load_killed_midway_keeps_every_acknowledged_batch_whole()
    {
        const int batchSize = 65_536;
        const long count = 20_000_000;
        int seed = EnvironmentNumber("STEMEQL_CRASH_SEED", Random.Shared.Next(1, 1_000_000));
        var random = new Random(seed);
        using var database = new TempFolderDatabase();
        var log = new AckLog();
        long loadedTotal = 0;
        for (int round = 0; round < 3; round++)
        {
            string context = $"seed {seed}, round {round}";
            long targetsEnd;
            List<string> targets;
            using (var child = ChildProcess.Start("bulk", database.Folder, count.ToString(CultureInfo.InvariantCulture), batchSize.ToString(CultureInfo.InvariantCulture)))
            {
                // Round 0 is killed inside the first batch; later rounds after some batches were acknowledged.
                int targetsDone = child.WaitForLine(line => line.StartsWith("W ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
                if (round == 0) Thread.Sleep(random.Next(0, 20));
                else
                {
                    child.WaitForLine(line => line.StartsWith("P ", StringComparison.Ordinal), TimeSpan.FromSeconds(60), targetsDone);
                    Thread.Sleep(random.Next(50, 500));
                }
                Assert.False(child.HasExited, $"The bulk load ended before it was killed ({context}). {child.Describe()}");
                child.KillHard();
                var lines = child.Lines;
                log.AddRun(lines);
                targets = [.. lines.Take(targetsDone).Where(l => l.StartsWith("A ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1])];
                targetsEnd = long.Parse(lines[targetsDone].Split(' ')[2], CultureInfo.InvariantCulture);
            }
            Assert.Equal(64, targets.Count);

            using var store = RecoveredStore.Open(database.Folder);
            store.AssertHoldsEveryAcknowledgedWrite(log);
            store.AssertNoLsnGaps();
            store.AssertCaughtUp();

            // The load's votes follow the targets; every one stored must be the vote the loader was given
            // at that position (vote i: target i % 64, weight (i % 101) / 100, as BulkModes makes them),
            // the acknowledged batches must all be there, and batches are whole.
            long loaded = store.MaxLsn - targetsEnd;
            Assert.True(loaded >= log.BulkRowsReported, $"{log.BulkRowsReported} bulk rows were acknowledged but {loaded} are stored ({context}).");
            Assert.True(loaded % batchSize == 0, $"{loaded} bulk rows are stored: not a whole number of {batchSize}-row batches ({context}).");
            for (long i = 0; i < loaded; i++)
            {
                var vote = store.Votes[targetsEnd + 1 + i];
                Assert.True(vote.Hash == targets[(int)(i % 64)] && vote.Weight == (i % 101) / 100.0,
                    $"Bulk row {i} is stored as {vote}, not as the row loaded ({context}).");
            }
            if (round > 0) Assert.True(loaded > 0, $"No batch was stored though the loader reported progress ({context}).");
            store.AssertViewsEqualRecomputation(["bulk"], checkPlans: false);
            loadedTotal += loaded;
            log.Settle(store.MaxLsn);
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bulk load killed 3 times (seed {seed}): {loadedTotal} votes in whole {batchSize}-row batches recovered, every acknowledged batch present."));
    }

    private static int EnvironmentNumber(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}

/// <summary>
/// The child-process tests run one at a time: on a 2-core machine a second crash loop beside the first
/// only makes both slower.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DurabilityCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Durability (child processes)";
}
