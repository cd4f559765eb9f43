using System.Text.RegularExpressions;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.EndToEnd;

/// <summary>
/// An ORDER BY an index holds is read in the index's order and stops early; the same ORDER BY written as expressions
/// (<c>subject || ''</c>, <c>lsn + 0</c>) is sorted. Both must return the same rows in the same order on random data with
/// many ties, DESC, OFFSET, pins and filters, on text beyond U+FFFF and on text over 1 KiB (which PostgreSQL's index orders
/// by its first kilobyte and a digest, so the ordered read falls back to the sort), on every backend.
/// </summary>
public sealed partial class IndexOrderDifferentialTests
{
    // Few subjects and predicates, so ORDER BY subject has long runs of ties; code point order (ORDER BY's) puts U+1F600 after
    // U+E000 where UTF-16 would not; the last four share their first kilobyte and sort last.
    private static readonly string[] Subjects =
        ["a", "b", "b2", "c", "d", "e", "f", "s\uE000", "s\U0001F600", .. Enumerable.Range(1, 4).Select(i => "z" + new string('x', 1100) + i)];
    private static readonly string[] Predicates = ["p", "q", "r"];
    private static readonly string[] Agents = ["ann", "bob", "cy"];

    private static readonly string[] Queries =
    [
        "SELECT subject, predicate, lsn FROM assertions ORDER BY subject LIMIT 7",
        "SELECT subject, lsn FROM assertions ORDER BY subject DESC LIMIT 7 OFFSET 3",
        "SELECT lsn FROM assertions ORDER BY subject, predicate DESC LIMIT 9",
        "SELECT subject, predicate, lsn FROM assertions ORDER BY subject DESC, predicate LIMIT 5 OFFSET 2",
        "SELECT subject, lsn FROM assertions ORDER BY subject, lsn DESC LIMIT 6",
        "SELECT subject, lsn FROM assertions WHERE predicate = 'q' ORDER BY subject LIMIT 4",
        "SELECT predicate, lsn FROM assertions WHERE subject = 'b' ORDER BY predicate DESC LIMIT 3 OFFSET 1",
        "SELECT subject, lsn FROM assertions WHERE object <> 1 ORDER BY subject LIMIT 6",
        "SELECT subject, lsn FROM assertions WHERE agent = 'bob' AND object > 0 ORDER BY subject DESC LIMIT 5 OFFSET 1",
        "SELECT subject, lsn FROM assertions WHERE subject IN ('b', 'c', 'f') ORDER BY subject DESC LIMIT 4",
        "SELECT subject, lsn FROM assertions ORDER BY subject LIMIT 0",
        "SELECT subject, predicate, object FROM assertions USING LENS consensus ORDER BY subject LIMIT 5",
        "SELECT subject, predicate, object FROM assertions USING LENS consensus ORDER BY subject DESC LIMIT 5 OFFSET 2",
        "SELECT subject, predicate FROM assertions USING LENS consensus ORDER BY subject DESC, predicate DESC LIMIT 6",
        "SELECT subject, object FROM assertions USING LENS consensus WHERE predicate = 'q' ORDER BY subject DESC LIMIT 3",
        "SELECT predicate, object FROM assertions USING LENS recency WHERE subject = 'c' ORDER BY predicate LIMIT 2",
        "SELECT subject, predicate FROM assertions USING LENS recency WHERE object >= 2 ORDER BY subject LIMIT 4 OFFSET 1",
    ];

    /// <summary>(backend, seed) pairs: three random ledgers on every backend.</summary>
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var backend in StorageBackend.All)
            for (int seed = 1; seed <= 3; seed++) data.Add(backend.Name, seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Index_order_returns_what_the_sort_returns(string backend, int seed)
    {
        var random = new Random(seed);
        using var database = StorageBackend.Named(backend).CreateDatabase();
        using var connection = database.Open("ann");
        // Seed 1 keeps to text under 1 KiB, so every ordered read is trusted; the others mix in the long text.
        var subjects = seed == 1 ? Subjects[..^4] : Subjects;
        var tuples = Enumerable.Range(0, 160).Select(i =>
            $"('{subjects[random.Next(subjects.Length)]}', '{Predicates[random.Next(Predicates.Length)]}', {random.Next(4)})");
        var list = tuples.ToList();
        foreach (var agent in Agents)
        {
            using var writer = database.Open(agent);
            Execute(writer, "ASSERT " + string.Join(", ", list.Skip(Array.IndexOf(Agents, agent) * 55).Take(55)));
            connection.WaitForLsn(writer.LastWriteLsn);
        }
        foreach (string query in Queries)
        {
            string sorted = Sorting(query);
            Assert.NotEqual(query, sorted);
            var plan = Rows(connection, "EXPLAIN " + query);
            Assert.DoesNotContain("Sort", plan.Select(r => (string)r[1]));
            Assert.Contains("Sort", Rows(connection, "EXPLAIN " + sorted).Select(r => (string)r[1]));
            var expected = Rows(connection, sorted);
            var actual = Rows(connection, query);
            Assert.True(expected.Select(Text).SequenceEqual(actual.Select(Text)),
                $"{query}\nexpected {string.Join(" | ", expected.Select(Text))}\nactual   {string.Join(" | ", actual.Select(Text))}");
        }
    }

    [Theory]
    [MemberData(nameof(StorageBackend.Names), MemberType = typeof(StorageBackend))]
    public void Explain_analyze_shows_the_read_stopping_after_offset_plus_limit_rows(string backend)
    {
        using var database = StorageBackend.Named(backend).CreateDatabase();
        using var connection = database.Open("ann");
        Execute(connection, "ASSERT " + string.Join(", ", Enumerable.Range(0, 300).Select(i => $"('s{i % 50:D2}', 'p{i % 7}', {i})")));
        var ledger = Rows(connection, "EXPLAIN ANALYZE SELECT subject FROM assertions ORDER BY subject DESC LIMIT 3 OFFSET 2");
        Assert.Equal(["LedgerScan", "Project", "Limit"], ledger.Select(r => (string)r[1]));
        Assert.Contains("in subject DESC order, no sort", (string)ledger[0][2], StringComparison.Ordinal);
        Assert.Equal(5L, ledger[0][4]);
        Assert.Equal(3L, ledger[2][4]);
        var view = Rows(connection, "EXPLAIN ANALYZE SELECT subject FROM assertions USING LENS consensus WHERE predicate = 'p3' ORDER BY subject LIMIT 3");
        Assert.Equal(["MaterializedViewLookup", "Project", "Limit"], view.Select(r => (string)r[1]));
        Assert.Equal(3L, view[0][4]);
        // A filter the seek does not apply: the rows stream until three pass it.
        var filtered = Rows(connection, "EXPLAIN ANALYZE SELECT subject FROM assertions WHERE object >= 100 ORDER BY subject LIMIT 3");
        Assert.Equal(["LedgerScan", "Filter", "Project", "Limit"], filtered.Select(r => (string)r[1]));
        Assert.True((long)filtered[0][4] < 20, $"read {filtered[0][4]} rows");
        Assert.Equal(["s00", "s00", "s00"], Rows(connection, "SELECT subject FROM assertions WHERE object >= 100 ORDER BY subject LIMIT 3").Select(r => r[0]));
    }

    // The same query with each ORDER BY key an expression, which no index holds: the plan sorts.
    private static string Sorting(string query) => OrderBy().Replace(query, m =>
        "ORDER BY " + string.Join(", ", m.Groups[1].Value.Split(", ").Select(term =>
        {
            var parts = term.Split(' ');
            string key = parts[0] == "lsn" ? "lsn + 0" : parts[0] + " || ''";
            return parts.Length > 1 ? key + " " + parts[1] : key;
        })) + " LIMIT");

    [GeneratedRegex("ORDER BY (.*?) LIMIT")]
    private static partial Regex OrderBy();

    private static string Text(object[] row) => string.Join(",", row.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)));

    private static void Execute(StemeConnection connection, string text)
    {
        using var command = connection.CreateCommand();
        command.CommandText = text;
        command.ExecuteNonQuery();
    }

    private static List<object[]> Rows(StemeConnection connection, string text) => ResultRows.Values(connection, text);
}
