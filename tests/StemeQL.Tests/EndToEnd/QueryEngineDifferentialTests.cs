using StemeQL.Tests.Support;

namespace StemeQL.Tests.EndToEnd;

/// <summary>
/// Expressions, aggregates, GROUP BY, HAVING, DISTINCT and ORDER BY against LINQ-to-Objects over the same
/// rows, read back through a plain SELECT, on random data. A query that returns nothing fails the test,
/// so agreement on emptiness cannot pass by accident.
/// </summary>
public sealed class QueryEngineDifferentialTests : IDisposable
{
    private sealed record Row(string Subject, string Predicate, long Object, string Agent, long Lsn);

    private readonly TempFolderDatabase _database = new();
    private long _token; // the newest write: readers on other connections wait for it (read-your-writes is per connection)

    public static TheoryData<int> Seeds => new(1, 2, 3);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Group_by_with_aggregates_matches_linq(int seed)
    {
        var rows = Load(seed);
        Compare(Sorted(rows.GroupBy(r => r.Predicate).Select(g =>
                $"{g.Key}|{g.Count()}|{g.Sum(r => r.Object)}|{g.Min(r => r.Object)}|{g.Max(r => r.Object)}|{g.Average(r => r.Object):0.000000}")),
            Sorted(Query("SELECT predicate, count(*), sum(object), min(object), max(object), round(avg(object), 6) FROM assertions GROUP BY predicate")));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Having_and_count_distinct_match_linq(int seed)
    {
        var rows = Load(seed);
        Compare(Sorted(rows.Where(r => r.Object > 10).GroupBy(r => r.Agent).Where(g => g.Count() > 2)
                .Select(g => $"{g.Key}|{g.Select(r => r.Subject).Distinct().Count()}")),
            Sorted(Query("SELECT agent, count(DISTINCT subject) FROM assertions WHERE object > 10 GROUP BY agent HAVING count(*) > 2")));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Distinct_matches_linq(int seed)
    {
        var rows = Load(seed);
        Compare(Sorted(rows.Where(r => r.Predicate == "p1").Select(r => r.Subject).Distinct()),
            Sorted(Query("SELECT DISTINCT subject FROM assertions WHERE predicate = 'p1'")));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Expressions_order_and_paging_match_linq(int seed)
    {
        var rows = Load(seed);
        Compare(rows.Where(r => r.Object % 3 == 0).OrderByDescending(r => r.Object).ThenBy(r => r.Lsn).Skip(2).Take(7)
                .Select(r => $"{r.Subject}|{r.Object * 2 + 1}").ToList(),
            Query("SELECT subject, object * 2 + 1 FROM assertions WHERE object % 3 = 0 ORDER BY object DESC, lsn LIMIT 7 OFFSET 2"));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Case_grouped_by_alias_matches_linq(int seed)
    {
        var rows = Load(seed);
        Compare(Sorted(rows.GroupBy(r => r.Object < 10 ? "low" : "high").Select(g => $"{g.Key}|{g.Count()}")),
            Sorted(Query("SELECT CASE WHEN object < 10 THEN 'low' ELSE 'high' END AS band, count(*) FROM assertions GROUP BY band")));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Top_k_under_a_limit_matches_a_full_sort(int seed)
    {
        var rows = Load(seed);
        Compare(rows.OrderBy(r => r.Subject, StringComparer.Ordinal).ThenByDescending(r => r.Lsn).Take(5)
                .Select(r => $"{r.Subject}|{r.Lsn}").ToList(),
            Query("SELECT subject, lsn FROM assertions ORDER BY subject, lsn DESC LIMIT 5"));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Grouped_counts_the_store_answers_match_linq(int seed)
    {
        var rows = Load(seed);
        Compare(Sorted(rows.GroupBy(r => r.Agent).Select(g => $"{g.Key}|{g.Count()}")),
            Sorted(Query("SELECT agent, count(*) FROM assertions GROUP BY agent")));
        string[] subjects = ["s1", "s2", "s3", "s4", "s5"];
        Compare([.. rows.Where(r => subjects.Contains(r.Subject)).GroupBy(r => r.Predicate).Where(g => g.Count() > 1)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}|{g.Count()}|{g.Count()}")],
            Query("SELECT predicate, count(*) AS n, count(*) FROM assertions WHERE subject IN ('s1', 's2', 's3', 's4', 's5') GROUP BY predicate HAVING count(*) > 1 ORDER BY n DESC, predicate"));
        // One view row per (subject, predicate): a subject's count is the number of its predicates.
        Compare(Sorted(rows.GroupBy(r => r.Subject).Select(g => $"{g.Key}|{g.Select(r => r.Predicate).Distinct().Count()}")),
            Sorted(Query("SELECT subject, count(*) FROM assertions USING LENS consensus GROUP BY subject")));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Lsn_ranges_the_store_seeks_match_linq(int seed)
    {
        var rows = Load(seed);
        long low = rows[rows.Count / 4].Lsn, high = rows[rows.Count * 3 / 4].Lsn;
        Compare([.. rows.Where(r => r.Lsn > low).OrderBy(r => r.Lsn).Select(r => $"{r.Subject}|{r.Lsn}")],
            Query($"SELECT subject, lsn FROM assertions WHERE lsn > {low} ORDER BY lsn"));
        Compare([.. rows.Where(r => r.Lsn >= low && r.Lsn < high && r.Predicate == "p1").OrderByDescending(r => r.Lsn).Take(5).Select(r => $"{r.Lsn}")],
            Query($"SELECT lsn FROM assertions WHERE lsn >= {low} AND predicate = 'p1' AND lsn < {high} ORDER BY lsn DESC LIMIT 5"));
        // A value on the left, a real bound, and an equality.
        Compare([.. rows.Where(r => r.Lsn <= high).Select(r => $"{r.Lsn}")], Query($"SELECT lsn FROM assertions WHERE {high}.5 > lsn ORDER BY lsn"));
        Compare([$"{low}"], Query($"SELECT lsn FROM assertions WHERE lsn = {low}"));
        Assert.Empty(Query($"SELECT lsn FROM assertions WHERE lsn = {low}.5"));
        Assert.Empty(Query("SELECT lsn FROM assertions WHERE lsn > NULL"));
        Compare([$"{rows.Count(r => r.Lsn <= high)}"], Query($"SELECT count(*) FROM assertions WHERE lsn <= {high}"));
        Compare(Sorted(rows.Where(r => r.Lsn > low).GroupBy(r => r.Agent).Select(g => $"{g.Key}|{g.Count()}")),
            Sorted(Query($"SELECT agent, count(*) FROM assertions WHERE lsn > {low} GROUP BY agent")));
        // Under a lens the LSN is the winner's: the view seeks on it, and agrees with filtering the whole view.
        var winners = Query("SELECT subject, predicate, lsn FROM assertions USING LENS recency");
        Compare(Sorted(winners.Where(w => long.Parse(w.Split('|')[2], System.Globalization.CultureInfo.InvariantCulture) > low)),
            Sorted(Query($"SELECT subject, predicate, lsn FROM assertions USING LENS recency WHERE lsn > {low}")));
    }

    // The store decodes only the columns a query reads; a Filter stage beside the seek reads its own.
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Columns_read_only_by_a_filter_beside_the_seek_match_linq(int seed)
    {
        var rows = Load(seed);
        Compare([.. rows.Where(r => r.Predicate == "p1" && r.Agent != "a2" && r.Subject.EndsWith('1')).Select(r => $"{r.Object}|{r.Lsn}")],
            Query("SELECT object, lsn FROM assertions WHERE predicate = 'p1' AND agent <> 'a2' AND subject LIKE '%1'"));
        Compare([.. rows.Where(r => r.Subject == "s1").Select(r => $"{r.Subject}|{r.Agent}|{r.Object}")],
            Query("SELECT subject, agent, object FROM assertions WHERE subject = 's1'"));
        var winners = Query("SELECT subject, predicate, agent, object FROM assertions USING LENS recency").Select(w => w.Split('|')).ToList();
        Compare(Sorted(winners.Where(w => w[1] == "p2" && w[2] != "a0").Select(w => w[3])),
            Sorted(Query("SELECT object FROM assertions USING LENS recency WHERE predicate = 'p2' AND agent <> 'a0'")));
    }

    private List<Row> Load(int seed)
    {
        var random = new Random(seed);
        for (int agent = 0; agent < 4; agent++)
        {
            using var connection = _database.Open("a" + agent);
            for (int i = 0; i < 40; i++)
            {
                using var command = new StemeCommand("ASSERT (@s, @p, @o)", connection);
                command.Parameters.AddWithValue("s", "s" + random.Next(20));
                command.Parameters.AddWithValue("p", "p" + random.Next(4));
                command.Parameters.AddWithValue("o", (long)random.Next(50));
                command.ExecuteNonQuery();
            }
            _token = Math.Max(_token, connection.LastWriteLsn);
        }
        using var reader = Reader("SELECT subject, predicate, object, agent, lsn FROM assertions");
        var rows = new List<Row>();
        while (reader.Read())
            rows.Add(new Row(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetInt64(4)));
        Assert.True(rows.Count > 100);
        return rows;
    }

    private List<string> Query(string sql)
    {
        using var reader = Reader(sql);
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) switch
            {
                double d => d.ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture),
                var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
            })));
        }
        return rows;
    }

    private StemeDataReader Reader(string sql)
    {
        var connection = _database.Open();
        connection.WaitForLsn(_token);
        var command = new StemeCommand(sql, connection);
        return command.ExecuteReader(System.Data.CommandBehavior.CloseConnection);
    }

    private static List<string> Sorted(IEnumerable<string> rows) => [.. rows.Order(StringComparer.Ordinal)];

    private static void Compare(List<string> expected, List<string> actual)
    {
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    public void Dispose() => _database.Dispose();
}
