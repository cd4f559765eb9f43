using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>
/// The embedded store's denormalized view rows (<c>mv_winner</c>): after every kind of change the stored row of
/// each lens equals the join of the fold's own tables and the O(N) evaluation, and view reads use it.
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
        Assert.Equal(SqliteRuntime.Scalar(connection, "SELECT count(*) FROM lens_state"), SqliteRuntime.Scalar(connection, "SELECT count(*) FROM mv_winner"));
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
}
