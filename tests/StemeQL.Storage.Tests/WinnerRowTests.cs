using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>
/// The embedded store's denormalized view rows (<c>mv_winner</c>): after every kind of change the stored row of
/// each lens equals the join of its state with the fold's own tables and the O(N) evaluation, and view reads use it.
/// </summary>
public sealed class WinnerRowTests : IDisposable
{
    private readonly TestStore _test = new();

    private EmbeddedStore Store => _test.Store;

    public void Dispose() => _test.Dispose();

    private static readonly (string, string)[] Paris = [("paris", "capital_of")];

    // The stored rows equal the join they denormalize (row for row, both ways), and the reads equal the O(N) lens.
    private void AssertRowsFollowTheFold(string context)
    {
        using var connection = Open();
        Assert.Equal(0L, SqliteRuntime.Scalar(connection, $"SELECT count(*) FROM (SELECT * FROM mv_winner EXCEPT {WinnerTable.JoinSql})"));
        Assert.Equal(0L, SqliteRuntime.Scalar(connection, $"SELECT count(*) FROM ({WinnerTable.JoinSql} EXCEPT SELECT * FROM mv_winner)"));
        // One row (state and view) per materialized lens and set.
        Assert.Equal(SqliteRuntime.Scalar(connection, "SELECT count(*) FROM mv_set, meta WHERE meta.key LIKE 'lens:%'"), SqliteRuntime.Scalar(connection, "SELECT count(*) FROM mv_winner"));
        ReferenceLens.AssertViewsMatch(Store, Paris, context);
    }

    private (long Lsn, long Support, long Total, long Candidates) Row(string lens)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT lsn, support_units, total_units, candidates FROM mv_winner WHERE lens = $lens AND subject = 'paris' AND predicate = 'capital_of'";
        command.Parameters.AddWithValue("$lens", lens);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), $"no {lens} row");
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_test.Folder, EmbeddedStore.DatabaseFileName), Pooling = false, Mode = SqliteOpenMode.ReadOnly,
        }.ToString());
        connection.Open();
        return connection;
    }

    [Fact]
    public void A_new_set_gets_one_row_per_lens()
    {
        long lsn = Store.Assert(A("paris", "capital_of", "france")).Lsn;
        Assert.Equal((lsn, Weights.ToUnits(1), Weights.ToUnits(1), 1L), Row("consensus"));
        Assert.Equal((lsn, Weights.ToUnits(1), Weights.ToUnits(1), 1L), Row("recency"));
        AssertRowsFollowTheFold("a new set");
    }

    [Fact]
    public void A_new_winner_replaces_the_row()
    {
        Store.Assert(A("paris", "capital_of", "france", "alice"));
        var germany = Store.Assert(A("paris", "capital_of", "germany", "bob"));
        Store.Vote(germany.Hash, "carol");
        Assert.Equal(germany.Lsn, Row("consensus").Lsn);
        Assert.Equal(germany.Hash, Store.View("consensus", "paris", "capital_of").Winner.Assertion.Hash);
        AssertRowsFollowTheFold("after the winner changed");
    }

    [Fact]
    public void A_vote_on_the_winner_moves_its_support_in_every_lens_row()
    {
        var france = Store.Assert(A("paris", "capital_of", "france", "alice"));
        Store.Vote(france.Hash, "bob", 0.5);
        // Recency's state does not move on a vote; its row still shows the new support and total.
        Assert.Equal((france.Lsn, Weights.ToUnits(1.5), Weights.ToUnits(1.5), 1L), Row("recency"));
        Assert.Equal((france.Lsn, Weights.ToUnits(1.5), Weights.ToUnits(1.5), 1L), Row("consensus"));
        AssertRowsFollowTheFold("after a vote on the winner");
    }

    [Fact]
    public void A_vote_on_a_loser_moves_the_total_of_every_lens_row()
    {
        var france = Store.Assert(A("paris", "capital_of", "france", "alice"));
        Store.Assert(A("paris", "capital_of", "france", "bob"));
        var germany = Store.Assert(A("paris", "capital_of", "germany", "carol"));
        Store.Vote(germany.Hash, "dave", 0.5);
        Assert.Equal((france.Lsn, Weights.ToUnits(2), Weights.ToUnits(3.5), 2L), Row("consensus"));
        Assert.Equal((germany.Lsn, Weights.ToUnits(1.5), Weights.ToUnits(3.5), 2L), Row("recency"));
        AssertRowsFollowTheFold("after a vote on a loser");
    }

    [Fact]
    public void A_lowered_vote_hands_the_win_back()
    {
        var france = Store.Assert(A("paris", "capital_of", "france", "alice"));
        var germany = Store.Assert(A("paris", "capital_of", "germany", "bob"));
        Store.Vote(germany.Hash, "carol");
        Assert.Equal(germany.Lsn, Row("consensus").Lsn);
        // A newer vote by the same agent replaces the older one: germany falls back below france.
        Store.Vote(germany.Hash, "carol", 0.0);
        Assert.Equal((france.Lsn, Weights.ToUnits(1), Weights.ToUnits(2), 2L), Row("consensus"));
        AssertRowsFollowTheFold("after a lowered vote");
    }

    [Fact]
    public void A_new_assertion_on_the_winning_value_adds_support_but_no_candidate()
    {
        var france = Store.Assert(A("paris", "capital_of", "france", "alice"));
        Store.Assert(A("paris", "capital_of", "germany", "bob", 0.5));
        var again = Store.Assert(A("paris", "capital_of", "france", "carol"));
        // Consensus keeps the value's first assertion; recency takes the newest, with the value's support.
        Assert.Equal((france.Lsn, Weights.ToUnits(2), Weights.ToUnits(2.5), 2L), Row("consensus"));
        Assert.Equal((again.Lsn, Weights.ToUnits(2), Weights.ToUnits(2.5), 2L), Row("recency"));
        AssertRowsFollowTheFold("after a second assertion of the winning value");
    }

    [Fact]
    public void Many_sets_in_one_batch_each_get_their_rows()
    {
        // More rows than one multi-row statement rewrites, so both statements run.
        Store.WriteVisible([.. Enumerable.Range(0, WinnerTable.RowsPerStatement + 7).Select(i => new AssertOperation(A("s" + i, "p", "v" + i)))]);
        Store.WriteVisible([.. Store.ScanAssertions(KeyFilter.All).Select(a => new VoteOperation(new Vote(a.Assertion.Hash, "bob", 0.5)))]);
        using var connection = Open();
        Assert.Equal((long)(WinnerTable.RowsPerStatement + 7) * 2, SqliteRuntime.Scalar(connection, "SELECT count(*) FROM mv_winner WHERE total_units = " + Weights.ToUnits(1.5)));
        AssertRowsFollowTheFold("after a batch of many sets");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_long_winning_value_is_read_from_the_ledger_not_copied(bool bytes)
    {
        var value = bytes ? StemeValue.Bytes(Enumerable.Range(0, WinnerTable.MaxCopiedObject + 1).Select(i => (byte)i).ToArray())
            : StemeValue.Text(new string('x', WinnerTable.MaxCopiedObject + 1));
        Store.Assert(A("paris", "capital_of", value));
        using (var connection = Open())
            Assert.Equal(2L, SqliteRuntime.Scalar(connection, "SELECT count(*) FROM mv_winner WHERE object IS NULL"));
        Assert.Equal(value, Store.View("consensus", "paris", "capital_of").Winner.Assertion.Object);
        // A reverse lookup by the long value still finds the set whose winner has it.
        var found = Assert.Single(Store.LookupView("recency", new KeyFilter(null, ["capital_of"]) with { Objects = [value] }));
        Assert.Equal(value, found.Winner.Assertion.Object);
        AssertRowsFollowTheFold("with a long winning value");
    }

    [Fact]
    public void A_lens_no_longer_materialized_leaves_no_rows()
    {
        _test.Reopen(EmbeddedStoreOptions.Default with { Lenses = [.. EmbeddedStoreOptions.Default.Lenses, EarliestLens.Instance] });
        Store.Assert(A("paris", "capital_of", "france"));
        using (var connection = Open()) Assert.Equal(1L, SqliteRuntime.Scalar(connection, $"SELECT count(*) FROM mv_winner WHERE lens = '{EarliestLens.Instance.Name}'"));
        _test.Reopen(EmbeddedStoreOptions.Default);
        using (var connection = Open()) Assert.Equal(0L, SqliteRuntime.Scalar(connection, $"SELECT count(*) FROM mv_winner WHERE lens = '{EarliestLens.Instance.Name}'"));
        AssertRowsFollowTheFold("after a lens was dropped");
    }

    // Values whose copy in the row has edges: at and past the copy limit, in UTF-16 units and in SQLite's characters.
    private static readonly Dictionary<string, StemeValue> EdgeValues = new()
    {
        ["text at the limit"] = StemeValue.Text(new string('x', WinnerTable.MaxCopiedObject)),
        ["text past the limit"] = StemeValue.Text(new string('x', WinnerTable.MaxCopiedObject + 1)),
        ["surrogate pairs past the limit in UTF-16 only"] = StemeValue.Text(string.Concat(Enumerable.Repeat("\U0001F600", WinnerTable.MaxCopiedObject / 2 + 10))),
        ["NUL inside long text"] = StemeValue.Text("a\0" + new string('x', WinnerTable.MaxCopiedObject + 5)),
        ["bytes at the limit"] = StemeValue.Bytes(new byte[WinnerTable.MaxCopiedObject]),
        ["bytes past the limit"] = StemeValue.Bytes(new byte[WinnerTable.MaxCopiedObject + 1]),
        ["empty bytes"] = StemeValue.Bytes([]),
        ["empty text"] = StemeValue.Text(""),
        ["NaN"] = StemeValue.Real(double.NaN),
        ["integer"] = StemeValue.Integer(long.MinValue),
        ["boolean"] = StemeValue.Boolean(true),
    };

    public static TheoryData<string> EdgeValueNames => new(EdgeValues.Keys);

    [Theory]
    [MemberData(nameof(EdgeValueNames))]
    public void A_new_set_s_row_written_from_the_batch_equals_the_join(string name)
    {
        var value = EdgeValues[name];
        var lineage = Store.Assert(A("root", "p", "r")).Hash;
        // One batch: the set is new, gets a second value and a vote, and more sets than one multi-row statement holds.
        var winner = A("paris", "capital_of", value, "alice", 0.75, "e1", [lineage]);
        Store.WriteVisible([
            new AssertOperation(winner),
            new AssertOperation(A("paris", "capital_of", "other", "bob", 0.25)),
            new VoteOperation(new Vote(winner.Hash, "carol", 0.5)),
            .. Enumerable.Range(0, WinnerTable.RowsPerStatement + 3).Select(i => new AssertOperation(A("s" + i, "p", value, "alice"))),
        ]);
        Assert.Equal(value, Store.View("consensus", "paris", "capital_of").Winner.Assertion.Object);
        AssertRowsFollowTheFold(name);
        Assert.True(Store.CheckIntegrity(false, null, CancellationToken.None).IsSound, name);
    }

    [Fact]
    public void A_batch_into_new_and_existing_sets_updates_the_existing_and_creates_the_new()
    {
        // Existing sets, then one batch that asserts into each of them and into as many new ones (more than one
        // multi-row statement's worth of each), so the batch's question "which sets are new" is asked both ways.
        int count = WinnerTable.RowsPerStatement + 5;
        Store.WriteVisible([.. Enumerable.Range(0, count).Select(i => new AssertOperation(A("old" + i, "p", "a")))]);
        Store.WriteVisible([
            .. Enumerable.Range(0, count).Select(i => new AssertOperation(A("old" + i, "p", "b", "bob", 0.5))),
            .. Enumerable.Range(0, count).Select(i => new AssertOperation(A("new" + i, "p", "c"))),
        ]);
        using (var connection = Open())
        {
            Assert.Equal((long)count, SqliteRuntime.Scalar(connection, $"SELECT count(*) FROM mv_set WHERE subject LIKE 'old%' AND candidates = 2 AND total_units = {Weights.ToUnits(1.5)}"));
            Assert.Equal((long)count, SqliteRuntime.Scalar(connection, $"SELECT count(*) FROM mv_set WHERE subject LIKE 'new%' AND candidates = 1 AND total_units = {Weights.ToUnits(1)}"));
        }
        AssertRowsFollowTheFold("after a batch into new and existing sets");
        Assert.True(Store.CheckIntegrity(false, null, CancellationToken.None).IsSound);
    }

    [Fact]
    public void A_batch_over_many_existing_sets_moves_their_rows_as_the_fold_does()
    {
        // More existing sets than one statement reads ahead; in one batch each set gets a vote that moves its winner, a
        // vote that takes support from its old winner (the set's values read again), a new value and a second assertion.
        int count = WinnerTable.RowsPerStatement + 9;
        var sets = Enumerable.Range(0, count).Select(i => ("s" + i, "p")).ToList();
        var first = Enumerable.Range(0, count).Select(i => A("s" + i, "p", "a", "alice")).ToList();
        var second = Enumerable.Range(0, count).Select(i => A("s" + i, "p", "b", "bob", 0.5)).ToList();
        Store.WriteVisible([
            .. first.Select(a => new AssertOperation(a)),
            .. second.Select(a => new AssertOperation(a)),
            .. first.Select(a => new VoteOperation(new Vote(a.Hash, "erin", 1))),
        ]);
        Store.WriteVisible([
            .. second.Select(a => new VoteOperation(new Vote(a.Hash, "carol", 1))),
            .. first.Select(a => new VoteOperation(new Vote(a.Hash, "erin", 0))),
            .. Enumerable.Range(0, count).Select(i => new AssertOperation(A("s" + i, "p", "c", "dave", 0.25))),
            .. Enumerable.Range(0, count).Select(i => new AssertOperation(A("s" + i, "p", "a", "frank", 0.25))),
        ]);
        Assert.All(sets, s => Assert.Equal("b", Store.View("consensus", s.Item1, s.Item2).Winner.Assertion.Object.AsText));
        using (var connection = Open())
            Assert.Equal((long)count, SqliteRuntime.Scalar(connection, $"SELECT count(*) FROM mv_set WHERE candidates = 3 AND assertion_count = 4 AND total_units = {Weights.ToUnits(3)}"));
        AssertRowsFollowTheFold("after a batch over many existing sets");
        ReferenceLens.AssertViewsMatch(Store, sets, "after a batch over many existing sets");
        Assert.True(Store.CheckIntegrity(false, null, CancellationToken.None).IsSound);
    }

    [Fact]
    public void A_batch_moving_one_value_per_existing_set_rewrites_each_row_as_the_fold_does()
    {
        // Existing sets of two values (a winner by alice with erin's vote, a loser by bob), some winners a value the view
        // row does not copy; then one batch over more sets than one statement holds that moves one value in each set:
        // the rows whose winner stays are rewritten from the batch's tallies, the others from the tables.
        int count = WinnerTable.RowsPerStatement + 9;
        var sets = Enumerable.Range(0, count).Select(i => ("s" + i, "p")).ToList();
        var longText = StemeValue.Text(new string('x', WinnerTable.MaxCopiedObject + 1));
        var winners = Enumerable.Range(0, count).Select(i => i % 3 == 0 ? A("s" + i, "p", longText) : A("s" + i, "p", "a")).ToList();
        var losers = Enumerable.Range(0, count).Select(i => A("s" + i, "p", "b", "bob", 0.5)).ToList();
        Store.WriteVisible([
            .. winners.Select(a => new AssertOperation(a)),
            .. losers.Select(a => new AssertOperation(a)),
            .. winners.Select(a => new VoteOperation(new Vote(a.Hash, "erin", 0.25))),
        ]);
        Store.WriteVisible([.. Enumerable.Range(0, count).Select<int, WriteOperation>(i => (i % 5) switch
        {
            0 => new VoteOperation(new Vote(winners[i].Hash, "erin", 0)),    // the winner falls and stays the winner
            1 => new VoteOperation(new Vote(winners[i].Hash, "carol", 0.5)), // the winner grows
            2 => new VoteOperation(new Vote(losers[i].Hash, "carol", 0.25)), // the loser grows and stays the loser
            3 => new VoteOperation(new Vote(losers[i].Hash, "carol", 1)),    // the loser takes the win
            _ => new AssertOperation(A("s" + i, "p", "b", "dave", 0.25)),   // the loser again: recency's winner moves
        })]);
        Assert.All(sets.Where((_, i) => i % 5 == 3), s => Assert.Equal("b", Store.View("consensus", s.Item1, s.Item2).Winner.Assertion.Object.AsText));
        AssertRowsFollowTheFold("after a batch moving one value per existing set");
        ReferenceLens.AssertViewsMatch(Store, sets, "after a batch moving one value per existing set");
        Assert.True(Store.CheckIntegrity(false, null, CancellationToken.None).IsSound);
    }

    [Fact]
    public void A_falling_winner_of_many_existing_sets_loses_to_a_value_the_batch_did_not_touch()
    {
        // Sets of three values: a (alice, with erin's vote) wins over c (dave, with frank's vote) and b (bob). One batch
        // over more sets than one statement reads ahead takes erin's vote back and votes for b: a falls below c, which
        // the batch did not touch, so the fold reads the set's values and must find c among them.
        int count = WinnerTable.RowsPerStatement + 9;
        var sets = Enumerable.Range(0, count).Select(i => ("s" + i, "p")).ToList();
        var a = sets.Select(s => A(s.Item1, s.Item2, "a", "alice")).ToList();
        var b = sets.Select(s => A(s.Item1, s.Item2, "b", "bob", 0.5)).ToList();
        var c = sets.Select(s => A(s.Item1, s.Item2, "c", "dave")).ToList();
        Store.WriteVisible([
            .. a.Concat(b).Concat(c).Select(x => new AssertOperation(x)),
            .. a.Select(x => new VoteOperation(new Vote(x.Hash, "erin", 1))),
            .. c.Select(x => new VoteOperation(new Vote(x.Hash, "frank", 0.75))),
        ]);
        Assert.All(sets, s => Assert.Equal("a", Store.View("consensus", s.Item1, s.Item2).Winner.Assertion.Object.AsText));
        Store.WriteVisible([
            .. a.Select(x => new VoteOperation(new Vote(x.Hash, "erin", 0))),
            .. b.Select(x => new VoteOperation(new Vote(x.Hash, "carol", 0.25))),
        ]);
        Assert.All(sets, s => Assert.Equal("c", Store.View("consensus", s.Item1, s.Item2).Winner.Assertion.Object.AsText));
        AssertRowsFollowTheFold("after a falling winner lost to an untouched value");
        ReferenceLens.AssertViewsMatch(Store, sets, "after a falling winner lost to an untouched value");
    }
}
