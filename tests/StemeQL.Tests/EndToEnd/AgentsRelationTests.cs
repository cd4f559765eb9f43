using System.Data;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.EndToEnd;

/// <summary>
/// The <c>agents</c> relation against the same summary computed in memory from the <c>assertions</c> and
/// <c>votes</c> rows read through plain StemeQL, on random writes by several agents (one of which only votes).
/// </summary>
public abstract class AgentsRelationTests : IDisposable
{
    private static readonly string[] Writers = ["alice", "bob", "carol", "dave"];
    private readonly TestDatabase _database;
    private readonly long _middleLsn;
    private readonly long _lastLsn;

    private protected AgentsRelationTests(StorageBackend backend)
    {
        _database = backend.CreateDatabase();
        var random = new Random(20261129);
        var connections = Writers.Append("voter").ToDictionary(a => a, a => _database.Open(a));
        var hashes = new List<string>();
        for (int i = 0; i < 80; i++)
        {
            // dave writes rarely; voter never asserts.
            string agent = random.Next(10) == 0 ? "dave" : Writers[random.Next(3)];
            bool vote = hashes.Count > 0 && random.Next(3) == 0;
            if (vote && random.Next(2) == 0) agent = "voter";
            using var command = vote
                ? new StemeCommand($"VOTE '{hashes[random.Next(hashes.Count)]}' WEIGHT 0.5", connections[agent])
                : new StemeCommand($"ASSERT ('s{random.Next(10)}', 'p{random.Next(3)}', {random.Next(100)})", connections[agent]);
            if (vote) command.ExecuteNonQuery();
            else hashes.Add((string)command.ExecuteScalar()!);
            _lastLsn = Math.Max(_lastLsn, connections[agent].LastWriteLsn);
            if (i == 40) _middleLsn = _lastLsn;
        }
        foreach (var connection in connections.Values) connection.Dispose();
    }

    public void Dispose() => _database.Dispose();

    [Fact]
    public void Agents_has_one_row_per_writer_with_its_counts_and_lsns()
    {
        var expected = Expected(long.MaxValue);
        Assert.Contains(expected, row => row.StartsWith("voter|0|", StringComparison.Ordinal));
        Assert.Equal(expected, Rows("SELECT agent, assertions, votes, first_lsn, last_lsn FROM agents"));
    }

    [Fact]
    public void Where_order_by_and_limit_apply_to_agents_rows()
    {
        var all = Expected(long.MaxValue).Select(r => r.Split('|')).ToList();
        var expected = all.Where(r => long.Parse(r[1]) > 0).OrderByDescending(r => long.Parse(r[1])).ThenBy(r => r[0], StringComparer.Ordinal)
            .Take(2).Select(r => r[0] + "|" + r[1]).ToList();
        Assert.Equal(2, expected.Count);
        Assert.Equal(expected, Rows("SELECT agent, assertions FROM agents WHERE assertions > 0 ORDER BY assertions DESC, agent LIMIT 2"));
        Assert.Equal(all.Where(r => r[0] == "bob").Select(r => string.Join("|", r)), Rows("SELECT * FROM agents WHERE agent = 'bob'"));
    }

    [Fact]
    public void Aggregates_over_agents_agree_with_the_ledgers()
    {
        Assert.Equal([Scalar("SELECT count(*) FROM assertions") + "|" + Scalar("SELECT count(*) FROM votes")],
            Rows("SELECT sum(assertions), sum(votes) FROM agents"));
        Assert.Equal([Writers.Length + 1 + ""], Rows("SELECT count(*) FROM agents"));
    }

    [Fact]
    public void As_of_an_lsn_agents_counts_the_writes_up_to_it()
    {
        var expected = Expected(_middleLsn);
        Assert.NotEqual(Expected(long.MaxValue), expected);
        Assert.Equal(expected, Rows($"SELECT * FROM agents AS OF LSN {_middleLsn}"));
    }

    [Fact]
    public void Explain_shows_the_agent_summary_plan_seeking_a_pinned_agent()
    {
        var plan = Rows("EXPLAIN SELECT agent, votes FROM agents WHERE agent = 'bob'");
        Assert.StartsWith("1|AgentSummary|agents; keys: agent = 'bob';", plan[0]);
        Assert.DoesNotContain(plan, step => step.Contains("|Filter|", StringComparison.Ordinal));
    }

    [Fact]
    public void Get_schema_lists_the_agents_columns()
    {
        using var connection = _database.Open();
        var columns = connection.GetSchema("Columns", ["agents"]).Rows.Cast<DataRow>().Select(r => (string)r["ColumnName"]);
        Assert.Equal(["agent", "assertions", "votes", "first_lsn", "last_lsn"], columns);
    }

    // The summary from the ledgers' rows, read with plain StemeQL and grouped in memory.
    private List<string> Expected(long maxLsn)
    {
        var assertions = Pairs("SELECT agent, lsn FROM assertions").Where(p => p.Lsn <= maxLsn).ToList();
        var votes = Pairs("SELECT agent, lsn FROM votes").Where(p => p.Lsn <= maxLsn).ToList();
        Assert.NotEmpty(assertions);
        Assert.NotEmpty(votes);
        return [.. assertions.Concat(votes).GroupBy(p => p.Agent).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            $"{g.Key}|{assertions.Count(a => a.Agent == g.Key)}|{votes.Count(v => v.Agent == g.Key)}|{g.Min(p => p.Lsn)}|{g.Max(p => p.Lsn)}")];
    }

    private List<(string Agent, long Lsn)> Pairs(string sql)
    {
        using var connection = Reader();
        using var command = new StemeCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var pairs = new List<(string, long)>();
        while (reader.Read()) pairs.Add((reader.GetString(0), reader.GetInt64(1)));
        return pairs;
    }

    private string Scalar(string sql) => Rows(sql).Single();

    // Every row as its values joined by '|'.
    private List<string> Rows(string sql)
    {
        using var connection = Reader();
        using var command = new StemeCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    private StemeConnection Reader()
    {
        var connection = _database.Open("reader");
        connection.WaitForLsn(_lastLsn);
        return connection;
    }
}

/// <summary>The suite on the embedded store.</summary>
public sealed class EmbeddedAgentsRelationTests() : AgentsRelationTests(StorageBackend.Named("embedded"));

/// <summary>The suite on PostgreSQL.</summary>
public sealed class PostgresAgentsRelationTests() : AgentsRelationTests(StorageBackend.Named("postgres"));
