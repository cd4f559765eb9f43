using StemeQL.Tests.Support;

namespace StemeQL.Tests.EndToEnd;

public abstract class ExplainTests : IDisposable
{
    private readonly TestDatabase _database;

    private protected ExplainTests(StorageBackend backend) => _database = backend.CreateDatabase();

    private List<(long Step, string Operator, string Detail, double Cost)> Explain(string sql, params (string, object)[] parameters)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN " + sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        Assert.Equal(["step", "operator", "detail", "estimated_cost"], Enumerable.Range(0, 4).Select(reader.GetName));
        var rows = new List<(long, string, string, double)>();
        while (reader.Read()) rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetDouble(3)));
        return rows;
    }

    [Fact]
    public void Explain_shows_MaterializedViewLookup_for_consensus_on_subject_and_predicate()
    {
        var plan = Explain("SELECT object FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'capital_of'", ("s", "paris"));
        Assert.Equal("MaterializedViewLookup", plan[0].Operator);
        Assert.Contains("subject = @s", plan[0].Detail);
        Assert.Contains("predicate = 'capital_of'", plan[0].Detail);
        Assert.Equal(1.0, plan[0].Cost);
        Assert.Equal([1L, 2L], plan.Select(p => p.Step));
        // The seek applies the whole WHERE, so no Filter stage follows it.
        Assert.Equal(["MaterializedViewLookup", "Project"], plan.Select(p => p.Operator));
    }

    [Fact]
    public void Explain_chooses_the_view_over_a_lens_scan_when_only_the_predicate_is_pinned()
    {
        var plan = Explain("SELECT subject FROM assertions USING LENS consensus WHERE predicate = 'capital_of' AND object = 'france'");
        Assert.Equal("MaterializedViewLookup", plan[0].Operator);
        Assert.Contains("pins the predicate", plan[0].Detail);
        Assert.Contains("chosen over LensScan", plan[0].Detail);
    }

    [Fact]
    public void Explain_reads_the_whole_view_rather_than_scanning_when_nothing_is_pinned()
    {
        var plan = Explain("SELECT object FROM assertions USING LENS consensus WHERE predicate = 'capital_of' OR subject = 'x'");
        Assert.Equal("MaterializedViewLookup", plan[0].Operator);
        Assert.Contains("keys: no pinned keys", plan[0].Detail);
    }

    [Fact]
    public void Explain_shows_the_stages_of_a_grouped_query()
    {
        var plan = Explain("SELECT predicate, max(lsn) AS n FROM assertions USING LENS consensus GROUP BY predicate HAVING count(*) > 1 ORDER BY n DESC LIMIT 3");
        Assert.Equal(["MaterializedViewLookup", "Aggregate", "Having", "Project", "Sort", "Limit"], plan.Select(p => p.Operator));
        Assert.Contains("GROUP BY predicate: max(lsn), count(*)", plan[1].Detail);
    }

    [Fact]
    public void Explain_pushes_a_count_grouped_by_one_column_down_to_the_store()
    {
        var plan = Explain("SELECT predicate, count(*) AS n FROM assertions USING LENS consensus GROUP BY predicate HAVING count(*) > 1 ORDER BY n DESC LIMIT 3");
        Assert.Equal(["GroupedCountPushdown", "Having", "Project", "Sort", "Limit"], plan.Select(p => p.Operator));
        Assert.Contains("count(*) GROUP BY predicate", plan[0].Detail);
        Assert.Equal("GroupedCountPushdown", Explain("SELECT agent, count(*) FROM votes GROUP BY agent")[0].Operator);
        Assert.Equal("GroupedCountPushdown", Explain("SELECT subject, count(*) FROM assertions WHERE predicate = 'p' GROUP BY subject")[0].Operator);
        // Not a plain column, another aggregate, or a filter the seek does not apply: the rows are read and aggregated.
        Assert.Equal("Aggregate", Explain("SELECT lower(agent), count(*) FROM votes GROUP BY lower(agent)")[1].Operator);
        Assert.Equal("Aggregate", Explain("SELECT agent, count(*), sum(weight) FROM votes GROUP BY agent")[1].Operator);
        Assert.Equal("Filter", Explain("SELECT agent, count(*) FROM assertions WHERE object = 1 GROUP BY agent")[1].Operator);
    }

    [Fact]
    public void A_count_of_votes_grouped_by_agent_counts_each_agents_votes()
    {
        long written;
        using (var alice = _database.Open("alice"))
        {
            using var command = new StemeCommand("ASSERT ('a', 'p', 1), ('b', 'p', 2)", alice);
            command.ExecuteNonQuery();
            written = alice.LastWriteLsn;
        }
        var hashes = Column("SELECT hash FROM assertions ORDER BY lsn", written);
        foreach (var (agent, votes) in new[] { ("bob", 2), ("carol", 1) })
        {
            using var connection = _database.Open(agent);
            for (int i = 0; i < votes; i++)
            {
                using var vote = new StemeCommand($"VOTE '{hashes[i]}' WEIGHT 1", connection);
                vote.ExecuteNonQuery();
            }
            written = Math.Max(written, connection.LastWriteLsn);
        }
        Assert.Equal(["bob|2", "carol|1"], Column("SELECT agent || '|' || count(*) FROM votes GROUP BY agent ORDER BY agent", written));
        Assert.Equal(["alice|2"], Column("SELECT agent || '|' || count(*) FROM assertions GROUP BY agent", written));
    }

    // The first column of every row, read once the store has seen LSN `after` (writes were on other connections).
    private List<string> Column(string sql, long after)
    {
        using var connection = _database.Open();
        connection.WaitForLsn(after);
        using var command = new StemeCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(reader.GetString(0));
        return values;
    }


    [Fact]
    public void Explain_pushes_count_star_down_to_the_store()
    {
        Assert.Equal(["CountPushdown", "Project"], Explain("SELECT count(*) FROM assertions").Select(p => p.Operator));
        Assert.Equal(["CountPushdown", "Project"], Explain("SELECT count(*) FROM assertions WHERE predicate = 'p'").Select(p => p.Operator));
        // A filter the seek does not apply needs the rows.
        Assert.Equal("LedgerScan", Explain("SELECT count(*) FROM assertions WHERE object = 1")[0].Operator);
    }

    [Fact]
    public void Explain_analyze_runs_the_query_and_counts_rows_per_step()
    {
        using (var connection = _database.Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "ASSERT ('a', 'p', 1), ('b', 'p', 2), ('c', 'q', 3)";
            command.ExecuteNonQuery();
        }
        using var reader = ExecuteReader("EXPLAIN ANALYZE SELECT subject FROM assertions WHERE predicate = 'p' AND object > 1", StemeConsistency.Process);
        Assert.Equal(["step", "operator", "detail", "estimated_cost", "actual_rows", "actual_ms"], Enumerable.Range(0, 6).Select(reader.GetName));
        var rows = new List<(string Operator, long Rows)>();
        while (reader.Read()) rows.Add((reader.GetString(1), reader.GetInt64(4)));
        Assert.Equal([("LedgerScan", 2L), ("Filter", 1L), ("Project", 1L)], rows);
    }

    private StemeDataReader ExecuteReader(string sql, StemeConsistency consistency)
    {
        var connection = new StemeConnection(_database.ConnectionString() + ";Consistency=" + consistency);
        connection.Open();
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteReader(System.Data.CommandBehavior.CloseConnection);
    }

    [Fact]
    public void Explain_shows_LensScan_for_history()
    {
        var plan = Explain("SELECT object FROM assertions USING LENS recency AS OF LSN 3 WHERE subject = 'x'");
        Assert.Equal("LensScan", plan[0].Operator);
        Assert.Contains("AS OF", plan[0].Detail);
    }

    [Fact]
    public void Explain_shows_LedgerScan_sort_and_limit_without_a_lens()
    {
        var plan = Explain("SELECT subject FROM assertions WHERE predicate = 'rank' ORDER BY object DESC LIMIT 2");
        Assert.Equal(["LedgerScan", "Project", "Sort", "Limit"], plan.Select(p => p.Operator));
        // A condition the seek cannot apply is filtered after it.
        Assert.Equal(["LedgerScan", "Filter", "Project", "Sort", "Limit"],
            Explain("SELECT subject FROM assertions WHERE predicate = 'rank' AND object > 1 ORDER BY object DESC LIMIT 2").Select(p => p.Operator));
        // ORDER BY subject is held by the ledger's index: read in that order, nothing sorted.
        Assert.Equal(["LedgerScan", "Filter", "Project", "Limit"],
            Explain("SELECT subject FROM assertions WHERE predicate = 'rank' AND object > 1 ORDER BY subject DESC LIMIT 2").Select(p => p.Operator));
    }

    [Fact]
    public void Explain_names_the_columns_a_ledger_read_reads_in_place()
    {
        Assert.EndsWith("; reads only hash, in place", Explain("SELECT hash FROM assertions WHERE agent = @a ORDER BY lsn DESC LIMIT 10", ("a", "alice"))[0].Detail);
        Assert.EndsWith("; reads only subject, lsn, in place", Explain("SELECT subject, lsn, subject AS again FROM assertions WHERE hash = @h", ("h", new string('a', 64)))[0].Detail);
        // An expression in the select list runs through the stages, which read whole rows.
        Assert.DoesNotContain("in place", Explain("SELECT lower(subject) FROM assertions WHERE agent = @a", ("a", "alice"))[0].Detail);
    }

    [Fact]
    public void Explain_shows_an_lsn_range_as_a_key_the_seek_applies()
    {
        var plan = Explain("SELECT hash FROM assertions WHERE agent = @a AND lsn > @since ORDER BY lsn DESC LIMIT 10", ("a", "alice"), ("since", 5L));
        Assert.Equal(["LedgerScan", "Project", "Limit"], plan.Select(p => p.Operator));
        Assert.Contains("keys: agent = @a, lsn > @since", plan[0].Detail);
        Assert.Equal("LensScan", Explain("SELECT subject FROM assertions USING LENS consensus AS OF LSN 9 WHERE lsn > 2")[0].Operator);
        // A lens scan picks winners from every candidate, so the bound on the winner's LSN is filtered after it.
        Assert.Equal("Filter", Explain("SELECT subject FROM assertions USING LENS consensus AS OF LSN 9 WHERE lsn > 2")[1].Operator);
    }

    [Fact]
    public void Explain_estimates_a_scan_by_the_candidates_it_reads()
    {
        using (var connection = _database.Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "ASSERT ('a', 'p', 1), ('b', 'p', 2), ('c', 'q', 3)";
            command.ExecuteNonQuery();
            connection.WaitForLsn(connection.LastWriteLsn); // EXPLAIN estimates from the views' counts, and does not wait
        }
        var plan = Explain("SELECT object FROM assertions USING LENS consensus WHERE predicate = 'p'");
        Assert.Equal(2.0, plan[0].Cost);
    }

    public void Dispose() => _database.Dispose();
}

/// <summary>The suite on the embedded store.</summary>
public sealed class EmbeddedExplainTests() : ExplainTests(StorageBackend.Named("embedded"));

/// <summary>The suite on PostgreSQL.</summary>
public sealed class PostgresExplainTests() : ExplainTests(StorageBackend.Named("postgres"));
