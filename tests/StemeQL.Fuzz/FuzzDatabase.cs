namespace StemeQL.Fuzz;

/// <summary>A fresh data folder with a little of every kind of value, replaced every so many executions so scans stay small.</summary>
internal sealed class FuzzDatabase : IDisposable
{
    /// <summary>
    /// Shared memory where there is one: every successful write syncs the journal, and the fuzzer
    /// tests what the engine does with inputs, not how fast the disk syncs.
    /// </summary>
    public static string DefaultRoot => Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    private readonly string _folder;

    /// <param name="root">The folder to create the data folder in (the parent removes it after a crash).</param>
    public FuzzDatabase(string root)
    {
        _folder = Path.Combine(root, "stemeql-fuzz-" + Guid.NewGuid().ToString("N"));
        Connection = new StemeConnection(new StemeConnectionStringBuilder { DataSource = _folder, Agent = "fuzzer" }.ConnectionString);
        Connection.Open();
        Hash = (string)new StemeCommand(
            "ASSERT ('paris', 'capital_of', 'france'), ('c1', 'rank', 1), ('c2', 'rank', 2), ('c3', 'rank', 'three'), "
            + "('bob', 'height_m', 1.82), ('bob', 'member', TRUE), ('m', 'k', -7) WITH CONFIDENCE 0.5", Connection).ExecuteScalar()!;
        new StemeCommand($"VOTE '{Hash}' WEIGHT 0.5", Connection).ExecuteNonQuery();
    }

    /// <summary>The open connection the inputs run on.</summary>
    public StemeConnection Connection { get; }

    /// <summary>The hash of a stored assertion, for @h.</summary>
    public string Hash { get; }

    /// <summary>The durable LSN and the numbers of assertions and votes: what a failing command must not change.</summary>
    public (long DurableLsn, int Assertions, int Votes) State() =>
        ((long)new StemeCommand("SELECT durable_lsn FROM stemeql_status", Connection).ExecuteScalar()!,
            Count("SELECT lsn FROM assertions"), Count("SELECT lsn FROM votes"));

    /// <summary>The durable LSN alone (cheap).</summary>
    public long DurableLsn() => (long)new StemeCommand("SELECT durable_lsn FROM stemeql_status", Connection).ExecuteScalar()!;

    private int Count(string sql)
    {
        using var reader = new StemeCommand(sql, Connection).ExecuteReader();
        int count = 0;
        while (reader.Read()) count++;
        return count;
    }

    public void Dispose()
    {
        Connection.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A store still held open keeps its files; the temp folder is reclaimed later.
        }
    }
}
