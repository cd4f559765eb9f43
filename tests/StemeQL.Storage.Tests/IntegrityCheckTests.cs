using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Journal;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

public sealed class IntegrityCheckTests : IDisposable
{
    private readonly TestStore _test = new();

    private EmbeddedStore Store => _test.Store;

    private string DatabasePath => Path.Combine(_test.Folder, EmbeddedStore.DatabaseFileName);

    public void Dispose() => _test.Dispose();

    private IntegrityReport Check(bool repair = false) => Store.CheckIntegrity(repair, null, CancellationToken.None);

    private void Sql(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private (StoredAssertion Damaged, StoredAssertion Other) TwoSets()
    {
        var damaged = Store.Assert(A("s1", "p", "one"));
        Store.Assert(A("s2", "p", "two"));
        Store.Vote(damaged.Hash, "bob", 0.5);
        var all = Store.ScanAssertions(KeyFilter.All).ToList();
        return (all[0], all[1]);
    }

    [Fact]
    public void CheckIntegrity_finds_nothing_in_a_sound_store_and_counts_what_it_verified()
    {
        TwoSets();
        var report = Check();
        Assert.True(report.IsSound, string.Join("; ", report.Problems.Select(p => p.Detail)));
        Assert.Equal((2L, 1L, false), (report.Assertions, report.Votes, report.ViewsRebuilt));
        Assert.True(report.ViewRows >= 5, $"compared {report.ViewRows} view rows");
        Assert.True(report.JournalFrames >= 3, $"verified {report.JournalFrames} frames");
    }

    [Fact]
    public void A_row_edited_outside_StemeQL_is_reported_by_the_check_and_hides_no_other_row()
    {
        var (damaged, other) = TwoSets();
        Sql("UPDATE assertions SET object = 'forged' WHERE lsn = $lsn", ("$lsn", damaged.Lsn));

        // Reads do not rehash: every row, the damaged one too, is still returned, and other keys are untouched.
        Assert.Equal(2, Store.ScanAssertions(KeyFilter.All).Count());
        Assert.Equal(other.Assertion.Hash, Assert.Single(Store.ScanAssertions(Key("s2", "p"))).Assertion.Hash);

        var problem = Assert.Single(Check().Problems, p => p.Kind == IntegrityKinds.AssertionHash);
        Assert.Equal(damaged.Lsn, problem.Lsn);
        Assert.Equal(damaged.Assertion.Hash, problem.Hash);
    }

    [Fact]
    public void A_row_that_cannot_be_decoded_fails_only_the_reads_that_reach_it_with_its_lsn_and_hash()
    {
        var (damaged, other) = TwoSets();
        Sql("UPDATE assertions SET object_type = 99 WHERE lsn = $lsn", ("$lsn", damaged.Lsn));

        var error = Assert.Throws<StemeException>(() => Store.ScanAssertions(KeyFilter.All).ToList());
        Assert.Equal(StemeErrorCode.IntegrityError, error.ErrorCode);
        Assert.Contains($"LSN {damaged.Lsn}", error.Message, StringComparison.Ordinal);
        Assert.Contains(damaged.Assertion.Hash.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(other.Assertion.Hash, Assert.Single(Store.ScanAssertions(Key("s2", "p"))).Assertion.Hash);
        Assert.Single(Store.LookupView("consensus", Key("s2", "p")));

        var problem = Assert.Single(Check().Problems, p => p.Kind == IntegrityKinds.UnreadableRow && p.Hash is not null);
        Assert.Equal((damaged.Lsn, damaged.Assertion.Hash), (problem.Lsn, problem.Hash));
    }

    [Fact]
    public void A_damaged_lens_state_is_reported_and_repair_folds_it_again()
    {
        TwoSets();
        // A state column alone: the view columns (what reads return) stay as they were.
        Sql("UPDATE mv_winner SET tally = tally + 1 WHERE lens = 'consensus' AND subject = 's1'");

        var report = Check();
        var mismatches = report.Problems.Where(p => p.Kind == IntegrityKinds.ViewMismatch).ToList();
        Assert.Equal(2, mismatches.Count);
        Assert.All(mismatches, p => Assert.StartsWith("mv_winner:", p.Detail, StringComparison.Ordinal));
        Assert.Contains(mismatches, p => p.Detail.Contains("tally=", StringComparison.Ordinal));
        Assert.True(Check(repair: true).ViewsRebuilt);
        Assert.True(Check().IsSound);
        ReferenceLens.AssertViewsMatch(Store, [("s1", "p"), ("s2", "p")], "after repair");
    }

    [Fact]
    public void A_damaged_winner_row_is_reported_and_repair_writes_it_again()
    {
        TwoSets();
        Sql("UPDATE mv_winner SET object = 'forged', total_units = 1 WHERE lens = 'consensus' AND subject = 's1'");
        // Reads take the view row as stored: the check is what finds it.
        Assert.Equal("forged", Store.View("consensus", "s1", "p").Winner.Assertion.Object.AsText);

        var mismatches = Check().Problems.Where(p => p.Kind == IntegrityKinds.ViewMismatch).ToList();
        Assert.Equal(2, mismatches.Count);
        Assert.All(mismatches, p => Assert.StartsWith("mv_winner:", p.Detail, StringComparison.Ordinal));
        Assert.True(Check(repair: true).ViewsRebuilt);
        Assert.True(Check().IsSound);
        Assert.Equal("one", Store.View("consensus", "s1", "p").Winner.Assertion.Object.AsText);
        ReferenceLens.AssertViewsMatch(Store, [("s1", "p"), ("s2", "p")], "after repair");
    }

    [Fact]
    public void The_check_leaves_the_states_of_a_lens_it_does_not_define_alone()
    {
        _test.Reopen(EmbeddedStoreOptions.Default with { Lenses = [.. EmbeddedStoreOptions.Default.Lenses, EarliestLens.Instance] });
        TwoSets();
        var report = Check();
        Assert.True(report.IsSound, string.Join("; ", report.Problems.Select(p => p.Detail)));
        ReferenceLens.AssertViewsMatch(Store, [("s1", "p"), ("s2", "p")], "beside the check");
    }

    [Fact]
    public void A_damaged_view_is_reported_and_changed_only_by_repair_which_rebuilds_it_from_the_ledger()
    {
        TwoSets();
        Sql("UPDATE mv_set SET total_units = total_units + 7 WHERE subject = 's1'");
        Sql("UPDATE mv_value SET support_units = 1 WHERE subject = 's2'");

        var report = Check();
        Assert.True(report.Problems.Count(p => p.Kind == IntegrityKinds.ViewMismatch) >= 4, string.Join("; ", report.Problems.Select(p => p.Detail)));
        Assert.All(report.Problems, p => Assert.Equal(IntegrityKinds.ViewMismatch, p.Kind));
        Assert.False(report.ViewsRebuilt);
        // Checking changed nothing.
        Assert.Equal(report.Problems.Count, Check().Problems.Count);

        var repaired = Check(repair: true);
        Assert.True(repaired.ViewsRebuilt);
        Assert.True(Check().IsSound);
        ReferenceLens.AssertViewsMatch(Store, [("s1", "p"), ("s2", "p")], "after repair");
        // The store keeps folding new writes on top of the rebuilt views.
        Store.Vote(Store.Assert(A("s2", "p", "three", "carol")).Hash, "dave");
        ReferenceLens.AssertViewsMatch(Store, [("s2", "p")], "a write after repair");
        Assert.True(Check().IsSound);
    }

    [Fact]
    public void Many_damaged_view_rows_are_listed_up_to_a_hundred_per_table_and_counted_beyond()
    {
        Store.WriteVisible([.. Enumerable.Range(0, 105).Select(i => new AssertOperation(A("s" + i, "p", "v")))]);
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE mv_set SET total_units = total_units + 1";
            Assert.Equal(105, command.ExecuteNonQuery());
        }
        var details = Check().Problems.Select(p => p.Detail).ToList();
        Assert.Equal(202, details.Count);
        Assert.Contains("mv_set: 5 more stored rows are not what the ledger folds to", details);
        Assert.Contains("mv_set: the ledger folds to 5 more rows that the stored view lacks", details);
    }

    [Fact]
    public void A_vote_on_a_missing_assertion_is_reported()
    {
        TwoSets();
        // A vote names its target by LSN: 999 holds no assertion.
        Sql("INSERT INTO votes(lsn, assertion_lsn, agent, weight, voted_at) VALUES (1000, 999, 'mallory', 1.0, 0)");
        Sql("UPDATE meta SET value = '1000' WHERE key = 'materialized_lsn'");
        var problem = Assert.Single(Check().Problems, p => p.Kind == IntegrityKinds.OrphanVote);
        Assert.Equal(1000L, problem.Lsn);
        Assert.Contains("LSN 999", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_journal_frame_is_reported_and_the_journal_is_left_as_it_was()
    {
        for (int i = 0; i < 3; i++) Store.Assert(A("s" + i, "p", "v"));
        var segment = J.SegmentPaths(Path.Combine(_test.Folder, "journal"))[0];
        var bytes = File.ReadAllBytes(segment);
        // A byte inside the first frame's payload (after the 32-byte header and the 8-byte frame header).
        bytes[32 + 8 + 20] ^= 0xFF;
        File.WriteAllBytes(segment, bytes);

        var problem = Assert.Single(Check().Problems);
        Assert.Equal(IntegrityKinds.Journal, problem.Kind);
        Assert.Equal(1, problem.Lsn);
        Assert.Contains("CRC", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(segment));
    }

    [Fact]
    public void Repair_is_refused_by_a_read_only_store()
    {
        TwoSets();
        using var reader = EmbeddedStore.OpenReadOnly(_test.Folder);
        Assert.True(reader.CheckIntegrity(false, null, CancellationToken.None).IsSound);
        var error = Assert.Throws<StemeException>(() => reader.CheckIntegrity(true, null, CancellationToken.None));
        Assert.Equal(StemeErrorCode.ReadOnly, error.ErrorCode);
    }
}
