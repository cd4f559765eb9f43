using Microsoft.Data.Sqlite;
using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>
/// Each access key is an index seek (checked with SQLite's EXPLAIN QUERY PLAN on the statement the
/// store prepares), descending reads with a limit stop early, and a repeated read compiles nothing.
/// </summary>
public sealed class AccessPathTests : IDisposable
{
    private readonly TestStore _test = new();

    private EmbeddedStore Store => _test.Store;

    public void Dispose() => _test.Dispose();

    private static readonly ContentHash SomeHash = A("a", "b", "c").Hash;

    public static TheoryData<string> SeekShapes => new(Shapes.Keys);

    // Each named read and the keys that make its shape.
    private static readonly Dictionary<string, (ReadTarget Target, KeyFilter Keys, string Index)> Shapes = new()
    {
        ["assertions by hash"] = (ReadTarget.Assertions, KeyFilter.ForHashes([SomeHash]), "sqlite_autoindex_assertions_1"),
        ["assertions by hashes"] = (ReadTarget.Assertions, KeyFilter.ForHashes([SomeHash, A("a", "b", "d").Hash, A("a", "b", "e").Hash]), "sqlite_autoindex_assertions_1"),
        ["assertions by agent"] = (ReadTarget.Assertions, KeyFilter.ForAgents(["alice"]), "assertions_agent"),
        ["assertions by agents, newest first"] = (ReadTarget.Assertions, KeyFilter.ForAgents(["alice", "bob"]) with { Descending = true, Limit = 10 }, "assertions_agent"),
        ["assertions by subject"] = (ReadTarget.Assertions, new KeyFilter(["paris"], null), "assertions_key"),
        ["assertions by subject and predicate"] = (ReadTarget.Assertions, new KeyFilter(["paris"], ["capital_of"]), "assertions_key (subject=? AND predicate=?)"),
        ["assertions by predicate"] = (ReadTarget.Assertions, new KeyFilter(null, ["capital_of"]), "assertions_predicate"),
        ["assertions by LSN range"] = (ReadTarget.Assertions, KeyFilter.All with { MinLsn = 10, MaxLsn = 20 }, "INTEGER PRIMARY KEY (rowid>? AND rowid<?)"),
        ["votes by assertion"] = (ReadTarget.Votes, KeyFilter.ForHashes([SomeHash]), "SEARCH k USING PRIMARY KEY (assertion_lsn=?)"),
        ["votes by assertion, newest first, as of an LSN"] = (ReadTarget.Votes, KeyFilter.ForHashes([SomeHash]) with { Descending = true, Limit = 10, MaxLsn = 50 }, "SEARCH k USING PRIMARY KEY (assertion_lsn=? AND first_lsn<?)"),
        ["votes by assertions"] = (ReadTarget.Votes, KeyFilter.ForHashes([SomeHash, A("a", "b", "d").Hash]), "SEARCH k USING PRIMARY KEY (assertion_lsn=?)"),
        ["votes by agent"] = (ReadTarget.Votes, KeyFilter.ForAgents(["bob"]), "SEARCH k USING PRIMARY KEY (agent=?)"),
        ["votes by agents, newest first"] = (ReadTarget.Votes, KeyFilter.ForAgents(["bob", "carol"]) with { Descending = true, Limit = 10 }, "SEARCH k USING PRIMARY KEY (agent=?)"),
        ["votes by agent and LSN range"] = (ReadTarget.Votes, KeyFilter.ForAgents(["bob"]) with { MinLsn = 5, MaxLsn = 50 }, "SEARCH k USING PRIMARY KEY (agent=? AND first_lsn<?)"),
        ["votes by agent and hash"] = (ReadTarget.Votes, KeyFilter.ForAgents(["bob"]) with { Hashes = [SomeHash] }, "SEARCH k USING PRIMARY KEY (assertion_lsn=?)"),
        ["votes by subject"] = (ReadTarget.Votes, new KeyFilter(["paris"], null), "assertions_key"),
        ["votes by predicate"] = (ReadTarget.Votes, new KeyFilter(null, ["capital_of"]), "assertions_predicate"),
        ["consensus view by subject"] = (ReadTarget.View, new KeyFilter(["paris"], null), "SEARCH a USING PRIMARY KEY (lens=? AND subject=?)"),
        ["consensus view by subject and predicate"] = (ReadTarget.View, new KeyFilter(["paris"], ["capital_of"]), "SEARCH a USING PRIMARY KEY (lens=? AND subject=? AND predicate=?)"),
        ["consensus view by predicate"] = (ReadTarget.View, new KeyFilter(null, ["capital_of"]), "mv_set_predicate (predicate=?)"),
        ["recency view by hash"] = (ReadTarget.View, KeyFilter.ForHashes([SomeHash]), "SEARCH a USING PRIMARY KEY (lens=? AND subject=? AND predicate=?"),
        ["consensus view by predicate and object"] = (ReadTarget.View, new KeyFilter(null, ["capital_of"]) with { Objects = [StemeValue.Text("france")] }, "mv_value_object (predicate=? AND object_type=? AND object=?)"),
        ["recency view by predicate and objects"] = (ReadTarget.View, new KeyFilter(null, ["capital_of"]) with { Objects = [StemeValue.Text("france"), StemeValue.Integer(1)] }, "mv_value_object (predicate=?"),
    };

    [Theory]
    [MemberData(nameof(SeekShapes))]
    public void Keyed_reads_seek_an_index_and_never_scan_a_table(string name)
    {
        var (target, keys, index) = Shapes[name];
        var plan = QueryPlan(ReadSql.For(ReadShape.For(target, count: false, keys, keys.MaxLsn, keys.Objects?.Count ?? 0)));
        Assert.True(plan.Exists(step => step.Contains(index, StringComparison.Ordinal)), $"{name}: {string.Join(" | ", plan)}");
        Assert.All(plan, step => Assert.False(ScansATable(step, plan), $"{name}: {string.Join(" | ", plan)}"));
        var count = QueryPlan(ReadSql.For(ReadShape.For(target, count: true, keys, keys.MaxLsn, keys.Objects?.Count ?? 0)));
        Assert.All(count, step => Assert.False(ScansATable(step, count), $"count of {name}: {string.Join(" | ", count)}"));
    }

    // A scan of a VALUES list, of json_each over one packed vote row (the LSNs of one key in one chunk), or of a
    // subquery's rows (a limited read's LSNs, a co-routine whose own steps are in the plan too) reads no table.
    // (SQLite 3.36 and later name a step's table by its alias only: k is a packed vote row, j its json_each.)
    private static bool ScansATable(string step, List<string> plan) => step.StartsWith("SCAN", StringComparison.Ordinal)
        && !step.EndsWith("VALUES CLAUSE", StringComparison.Ordinal) && !step.StartsWith("SCAN j VIRTUAL TABLE", StringComparison.Ordinal)
        && !plan.Contains("CO-ROUTINE " + step["SCAN ".Length..]);

    [Theory]
    [InlineData("by hash")]
    [InlineData("by agent")]
    public void Votes_of_one_key_follow_its_packed_rows_in_lsn_order_and_sort_one_row_at_a_time(string key)
    {
        var keys = (key == "by hash" ? KeyFilter.ForHashes([SomeHash]) : KeyFilter.ForAgents(["bob"])) with { Descending = true, Limit = 10 };
        var plan = QueryPlan(ReadSql.For(ReadShape.For(ReadTarget.Votes, count: false, keys, long.MaxValue, 0)));
        // The sort is of one packed row's LSNs at a time, so a limit stops after the rows it needs; the limited LSNs
        // come from a subquery (a co-routine) before any vote row is read.
        Assert.Contains("USE TEMP B-TREE FOR LAST TERM OF ORDER BY", plan);
        Assert.Contains("CO-ROUTINE p", plan);
        Assert.True(plan.IndexOf("SEARCH v USING INTEGER PRIMARY KEY (rowid=?)") > plan.IndexOf("USE TEMP B-TREE FOR LAST TERM OF ORDER BY"), string.Join(" | ", plan));
    }

    [Theory]
    [InlineData("assertions by agents, newest first")]
    [InlineData("votes by assertion, newest first, as of an LSN")]
    [InlineData("votes by agents, newest first")]
    public void A_limited_read_bound_again_is_not_compiled_again(string name)
    {
        // SQLite 3.53 compiles a statement again when a new value is bound to a parameter its plan used, as a plain
        // LIMIT parameter would be: every read would pay for a compilation.
        var (target, keys, _) = Shapes[name];
        using var connection = ReadOnlyConnection();
        using var statement = new ReadStatement(connection, ReadSql.For(ReadShape.For(target, count: false, keys, keys.MaxLsn, 0)));
        for (long limit = 10; limit <= 12; limit++)
        {
            statement.Bind(statement.IndexOf("$limit"), limit);
            while (statement.Step()) { }
            statement.Reset();
        }
        Assert.Equal(0, statement.Recompilations);
    }

    public static TheoryData<string> OrderedShapes => new(Ordered.Keys);

    // Reads in an order of keys that an index holds, each with a limit, and the index SQLite walks for it.
    private static readonly Dictionary<string, (ReadTarget Target, KeyFilter Keys, string Index)> Ordered = new()
    {
        ["assertions by subject"] = (ReadTarget.Assertions, KeyFilter.All with { OrderBy = [new(OrderColumn.Subject, false)], Limit = 3 }, "SCAN a USING INDEX assertions_key"),
        ["assertions by subject descending"] = (ReadTarget.Assertions, KeyFilter.All with { OrderBy = [new(OrderColumn.Subject, true)], Limit = 3 }, "SCAN a USING INDEX assertions_key"),
        ["assertions by subject and predicate"] = (ReadTarget.Assertions, KeyFilter.All with { OrderBy = [new(OrderColumn.Subject, false), new(OrderColumn.Predicate, true)], Limit = 3 }, "SCAN a USING INDEX assertions_key"),
        ["assertions of one subject by predicate"] = (ReadTarget.Assertions, new KeyFilter(["paris"], null) { OrderBy = [new(OrderColumn.Predicate, false)], Limit = 3 }, "SEARCH a USING INDEX assertions_key (subject=?)"),
        ["assertions of one predicate by subject"] = (ReadTarget.Assertions, new KeyFilter(null, ["capital_of"]) { OrderBy = [new(OrderColumn.Subject, false)], Limit = 3 }, "SCAN a USING INDEX assertions_key"),
        ["assertions of one agent by subject"] = (ReadTarget.Assertions, KeyFilter.ForAgents(["alice"]) with { OrderBy = [new(OrderColumn.Subject, true)], Limit = 3 }, "SCAN a USING INDEX assertions_key"),
        ["view by subject"] = (ReadTarget.View, KeyFilter.All with { OrderBy = [new(OrderColumn.Subject, false)], Limit = 3 }, "SEARCH a USING PRIMARY KEY (lens=?)"),
        ["view by subject descending"] = (ReadTarget.View, KeyFilter.All with { OrderBy = [new(OrderColumn.Subject, true)], Limit = 3 }, "SEARCH a USING PRIMARY KEY (lens=?)"),
        ["view of one predicate by subject"] = (ReadTarget.View, new KeyFilter(null, ["capital_of"]) { OrderBy = [new(OrderColumn.Subject, true)], Limit = 3 }, "mv_set_predicate (predicate=?)"),
    };

    [Theory]
    [MemberData(nameof(OrderedShapes))]
    public void A_read_in_an_index_order_walks_the_index_and_sorts_at_most_each_run_of_equal_keys(string name)
    {
        var (target, keys, index) = Ordered[name];
        var plan = QueryPlan(ReadSql.For(ReadShape.For(target, count: false, keys, long.MaxValue, 0)));
        Assert.True(plan.Exists(step => step.Contains(index, StringComparison.Ordinal)), $"{name}: {string.Join(" | ", plan)}");
        // A whole sort would read every row before the first; a sort of the right part only sorts each run of equal keys.
        Assert.DoesNotContain("USE TEMP B-TREE FOR ORDER BY", plan);
    }

    [Fact]
    public void A_view_lookup_pinned_by_subject_and_predicate_is_one_seek_of_the_winner_row()
    {
        var keys = new KeyFilter(["paris"], ["capital_of"]);
        var plan = QueryPlan(ReadSql.For(ReadShape.For(ReadTarget.View, count: false, keys, long.MaxValue, 0)));
        // The subquery is coalesce's fallback, run only for a winner whose long object the row does not copy.
        Assert.Equal([
            "SEARCH a USING PRIMARY KEY (lens=? AND subject=? AND predicate=?)",
            "CORRELATED SCALAR SUBQUERY 1",
            "SEARCH o USING INTEGER PRIMARY KEY (rowid=?)"], plan);
    }

    [Fact]
    public void A_view_count_grouped_by_predicate_walks_the_sets_index_alone()
    {
        var plan = QueryPlan(ReadSql.For(ReadShape.For(ReadTarget.View, count: true, KeyFilter.All, long.MaxValue, 0, GroupColumn.Predicate)));
        Assert.Equal(["SCAN s USING COVERING INDEX mv_set_predicate"], plan);
    }

    [Fact]
    public void A_view_count_grouped_by_the_winners_agent_reads_the_winner_rows_alone()
    {
        var plan = QueryPlan(ReadSql.For(ReadShape.For(ReadTarget.View, count: true, KeyFilter.All, long.MaxValue, 0, GroupColumn.Agent)));
        Assert.Equal(["SEARCH a USING PRIMARY KEY (lens=?)", "USE TEMP B-TREE FOR GROUP BY"], plan);
    }

    [Fact]
    public void Votes_counted_by_agent_read_the_packed_agent_rows_alone_in_key_order()
    {
        var plan = QueryPlan(ReadSql.For(ReadShape.For(ReadTarget.Votes, count: true, KeyFilter.All with { MaxLsn = 50 }, 50, 0, GroupColumn.Agent)));
        Assert.Equal(["SCAN k", "SCAN j VIRTUAL TABLE INDEX 1:"], plan);
    }

    [Theory]
    [InlineData("by hash")]
    [InlineData("by agent")]
    public void An_unbounded_count_of_votes_adds_the_packed_rows_lengths_without_expanding_them(string key)
    {
        var keys = key == "by hash" ? KeyFilter.ForHashes([SomeHash]) : KeyFilter.ForAgents(["bob"]);
        var plan = QueryPlan(ReadSql.For(ReadShape.For(ReadTarget.Votes, count: true, keys, long.MaxValue, 0)));
        Assert.DoesNotContain(plan, step => step.Contains("VIRTUAL TABLE", StringComparison.Ordinal));
        // An LSN bound can fall inside a packed row: that count expands the rows.
        var bounded = QueryPlan(ReadSql.For(ReadShape.For(ReadTarget.Votes, count: true, keys, 50, 0)));
        Assert.Contains("SCAN j VIRTUAL TABLE INDEX 1:", bounded);
    }

    [Fact]
    public void The_newest_rows_of_the_ledger_follow_the_lsn_order_without_a_sort()
    {
        var keys = KeyFilter.All with { Descending = true, Limit = 10 };
        var plan = QueryPlan(ReadSql.For(ReadShape.For(ReadTarget.Assertions, count: false, keys, long.MaxValue, 0)));
        Assert.All(plan, step => Assert.DoesNotContain("TEMP B-TREE", step, StringComparison.Ordinal));
        var single = KeyFilter.ForAgents(["alice"]) with { Descending = true, Limit = 10 };
        plan = QueryPlan(ReadSql.For(ReadShape.For(ReadTarget.Assertions, count: false, single, long.MaxValue, 0)));
        Assert.All(plan, step => Assert.DoesNotContain("TEMP B-TREE", step, StringComparison.Ordinal));
    }

    private SqliteConnection ReadOnlyConnection()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_test.Folder, EmbeddedStore.DatabaseFileName), Pooling = false, Mode = SqliteOpenMode.ReadOnly,
        }.ToString());
        connection.Open();
        return connection;
    }

    private List<string> QueryPlan(string sql)
    {
        using var connection = ReadOnlyConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in System.Text.RegularExpressions.Regex.Matches(sql, @"\$[a-z_]+[0-9]*").Select(m => m.Value).Distinct())
            command.Parameters.AddWithValue(name, 1);
        using var reader = command.ExecuteReader();
        var steps = new List<string>();
        while (reader.Read()) steps.Add(reader.GetString(3));
        return steps;
    }
}
