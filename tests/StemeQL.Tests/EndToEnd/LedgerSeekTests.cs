using StemeQL.Tests.Support;

namespace StemeQL.Tests.EndToEnd;

/// <summary>The ledger seeks by hash (hex in either case) and by agent instead of scanning.</summary>
public sealed class LedgerSeekTests : IDisposable
{
    private readonly TempFolderDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private string Assert(string agent, string tuples)
    {
        using var connection = _database.Open(agent);
        using var command = connection.CreateCommand();
        command.CommandText = "ASSERT " + tuples;
        return (string)command.ExecuteScalar()!;
    }

    private void Vote(string agent, string hash)
    {
        using var connection = _database.Open(agent);
        using var command = connection.CreateCommand();
        command.CommandText = $"VOTE '{hash}'";
        command.ExecuteNonQuery();
    }

    private List<object[]> Query(string sql, params (string, object)[] parameters)
    {
        using var connection = _database.Open();
        return ResultRows.Values(connection, sql, parameters);
    }

    [Fact]
    public void Where_hash_finds_the_assertion_with_hex_in_either_case_and_seeks_one_row()
    {
        string paris = Assert("alice", "('paris', 'capital_of', 'france')");
        Assert("bob", "('berlin', 'capital_of', 'germany'), ('rome', 'capital_of', 'italy')");
        Xunit.Assert.Equal([paris], Query("SELECT hash FROM assertions WHERE hash = @h", ("h", paris.ToUpperInvariant())).Select(r => r[0]));
        Xunit.Assert.Equal(["paris"], Query($"SELECT subject FROM assertions WHERE hash = '{paris}' AND subject = 'paris'").Select(r => r[0]));
        Xunit.Assert.Empty(Query($"SELECT subject FROM assertions WHERE hash = '{paris}' AND subject = 'rome'"));
        Xunit.Assert.Empty(Query("SELECT subject FROM assertions WHERE hash IN ('not a hash', @h)", ("h", new string('0', 64))));
        var plan = Query($"EXPLAIN SELECT hash FROM assertions WHERE hash = '{paris.ToUpperInvariant()}'");
        Xunit.Assert.Equal("LedgerScan", plan[0][1]);
        Xunit.Assert.Contains("hash = ", (string)plan[0][2], StringComparison.Ordinal);
        Xunit.Assert.Equal(1.0, plan[0][3]);
    }

    [Fact]
    public void Order_by_lsn_follows_the_ledger_order_without_a_sort()
    {
        Assert("alice", "('a', 'p', 1), ('b', 'p', 2), ('c', 'q', 3), ('d', 'q', 4), ('e', 'p', 5)");
        string hash = (string)Query("SELECT hash FROM assertions WHERE subject = 'b'")[0][0];
        Vote("bob", hash);
        Vote("carol", hash);
        Xunit.Assert.Equal([5L, 4L], Query("SELECT lsn FROM assertions ORDER BY lsn DESC LIMIT 2").Select(r => r[0]));
        Xunit.Assert.Equal([4L, 3L], Query("SELECT lsn FROM assertions ORDER BY lsn DESC LIMIT 2 OFFSET 1").Select(r => r[0]));
        Xunit.Assert.Equal([2L, 3L, 4L], Query("SELECT lsn FROM assertions ORDER BY lsn LIMIT 3 OFFSET 1").Select(r => r[0]));
        // A filter left after the seek is applied before the limit.
        Xunit.Assert.Equal([5L, 2L], Query("SELECT lsn FROM assertions WHERE predicate = 'p' AND subject <> 'a' ORDER BY lsn DESC LIMIT 2").Select(r => r[0]));
        Xunit.Assert.Equal([7L], Query("SELECT lsn FROM votes ORDER BY lsn DESC LIMIT 1").Select(r => r[0]));
        Xunit.Assert.Equal(["e", "d", "c", "b", "a"], Query("SELECT subject FROM assertions WHERE agent = 'alice' ORDER BY LSN DESC").Select(r => r[0]));
        var plan = Query("EXPLAIN SELECT lsn FROM assertions ORDER BY lsn DESC LIMIT 2");
        Xunit.Assert.Equal(["LedgerScan", "Project", "Limit"], plan.Select(r => r[1]));
        Xunit.Assert.Contains("newest LSN first, no sort", (string)plan[0][2], StringComparison.Ordinal);
        Xunit.Assert.Contains("Sort", Query("EXPLAIN SELECT lsn FROM assertions ORDER BY object LIMIT 2").Select(r => r[1]));
    }

    [Fact]
    public void Where_agent_reads_that_agents_assertions_and_votes_only()
    {
        string paris = Assert("alice", "('paris', 'capital_of', 'france')");
        Assert("bob", "('berlin', 'capital_of', 'germany'), ('rome', 'capital_of', 'italy')");
        Vote("carol", paris);
        Vote("bob", paris);
        Xunit.Assert.Equal(["berlin", "rome"], Query("SELECT subject FROM assertions WHERE agent = 'bob' ORDER BY subject").Select(r => r[0]));
        Xunit.Assert.Equal(["rome"], Query("SELECT subject FROM assertions WHERE agent IN ('bob', 'dave') AND subject <> 'berlin'").Select(r => r[0]));
        Xunit.Assert.Equal(["carol"], Query("SELECT agent FROM votes WHERE agent = @a", ("a", "carol")).Select(r => r[0]));
        Xunit.Assert.Equal(["bob"], Query($"SELECT agent FROM votes WHERE assertion = '{paris.ToUpperInvariant()}' AND agent = 'bob'").Select(r => r[0]));
        var plan = Query("EXPLAIN SELECT subject FROM assertions WHERE agent = 'bob'");
        Xunit.Assert.Contains("agent = 'bob'", (string)plan[0][2], StringComparison.Ordinal);
        Xunit.Assert.Equal(2.0, plan[0][3]);
        Xunit.Assert.Equal(1.0, Query("EXPLAIN SELECT * FROM votes WHERE agent = 'carol'")[0][3]);
        // Under a lens, agent and hash describe the winner: the filter applies them, the lens still sees every candidate.
        Xunit.Assert.Equal(["paris"], Query("SELECT subject FROM assertions USING LENS consensus WHERE subject = 'paris' AND agent = 'alice'").Select(r => r[0]));
    }
}
