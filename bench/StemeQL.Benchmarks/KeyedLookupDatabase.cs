using System.Globalization;

namespace StemeQL.Benchmarks;

/// <summary>A temporary database of 2,000 assertions on 1,000 subjects, for keyed lookups.</summary>
internal sealed class KeyedLookupDatabase : IDisposable
{
    public const int Subjects = 1000;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "stemeql-bench-" + Guid.NewGuid().ToString("N"));

    private readonly StemeDataSource _dataSource;

    /// <summary>Fills the database; the reader's connection records telemetry unless <paramref name="telemetry"/> is false.</summary>
    public KeyedLookupDatabase(bool telemetry = true)
    {
        using (var writer = new StemeConnection($"Data Source={_folder};Agent=writer"))
        {
            writer.Open();
            new StemeBulkLoader(writer).WriteAssertions(Enumerable.Range(0, 2 * Subjects)
                .Select(i => new BulkAssertion(Subject(i % Subjects), i < Subjects ? "population" : "mayor", (long)i)));
        }
        _dataSource = new StemeDataSourceBuilder($"Data Source={_folder};Agent=reader").EnableTelemetry(telemetry).Build();
        Connection = _dataSource.OpenConnection();
    }

    public StemeConnection Connection { get; }

    public static string Subject(int i) => "city" + i.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        Connection.Dispose();
        _dataSource.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
