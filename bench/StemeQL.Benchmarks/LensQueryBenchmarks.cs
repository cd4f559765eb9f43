using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace StemeQL.Benchmarks;

/// <summary>
/// One lens question over a candidate set of 100 assertions (10 distinct values, 300 votes, beside
/// 2,000 assertions on other subjects): answered from the materialized view (MaterializedViewLookup)
/// and recomputed from the ledger (LensScan, forced with AS OF the newest LSN), through ADO.NET.
/// </summary>
[MemoryDiagnoser]
public class LensQueryBenchmarks
{
    private const string Columns = "hash, object, confidence, support, candidates";
    private const string Where = "WHERE subject = 'paris' AND predicate = 'capital_of'";

    private string _folder = null!;
    private StemeConnection _connection = null!;
    private StemeCommand _view = null!;
    private StemeCommand _scan = null!;

    [Params("consensus", "recency")]
    public string Lens { get; set; } = "consensus";

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "stemeql-bench-" + Guid.NewGuid().ToString("N"));
        var hashes = new List<string>();
        for (int agent = 0; agent < 4; agent++)
        {
            using var writer = new StemeConnection($"Data Source={_folder};Agent=agent{agent}");
            writer.Open();
            var candidates = Enumerable.Range(0, 25).Select(i => new BulkAssertion("paris", "capital_of", "v" + (i % 10).ToString(CultureInfo.InvariantCulture), "e" + i.ToString(CultureInfo.InvariantCulture)));
            var noise = Enumerable.Range(0, 500).Select(i => new BulkAssertion("s" + i.ToString(CultureInfo.InvariantCulture), "p", (long)i));
            new StemeBulkLoader(writer).WriteAssertions(candidates.Concat(noise));
            using (var read = new StemeCommand("SELECT hash FROM assertions WHERE subject = 'paris'", writer))
            using (var reader = read.ExecuteReader())
            {
                while (reader.Read()) hashes.Add(reader.GetString(0));
            }
            new StemeBulkLoader(writer).WriteVotes(Enumerable.Range(0, 75).Select(i => new BulkVote(hashes[(i * 7 + agent) % hashes.Count], (i % 10) / 10.0)));
            // A read-your-writes read: returns once the views include this connection's writes.
            using var wait = new StemeCommand("SELECT hash FROM assertions USING LENS consensus WHERE subject = 'paris'", writer);
            wait.ExecuteScalar();
        }
        _connection = new StemeConnection($"Data Source={_folder};Agent=reader");
        _connection.Open();
        _view = new StemeCommand($"SELECT {Columns} FROM assertions USING LENS {Lens} {Where}", _connection);
        _scan = new StemeCommand($"SELECT {Columns} FROM assertions USING LENS {Lens} AS OF LSN 9223372036854775807 {Where}", _connection);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _view.Dispose();
        _scan.Dispose();
        _connection.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "LensScan (recompute over 100 candidates)")]
    public double LensScan() => ReadAll(_scan);

    [Benchmark(Description = "MaterializedViewLookup")]
    public double ViewLookup() => ReadAll(_view);

    private static double ReadAll(StemeCommand command)
    {
        using var reader = command.ExecuteReader();
        double sum = 0;
        while (reader.Read()) sum += reader.GetDouble(2);
        return sum;
    }
}
