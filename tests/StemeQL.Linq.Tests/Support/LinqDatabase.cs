namespace StemeQL.Linq.Tests.Support;

/// <summary>
/// A database in a fresh temporary folder filled with random assertions (mixed object types, several
/// agents, epochs, confidences) and votes from a seed, plus the same rows read back through plain
/// StemeQL, for LINQ-to-Objects to run on.
/// </summary>
public sealed class LinqDatabase : IDisposable
{
    private static readonly string[] Agents = ["alice", "bob", "carol"];
    private static readonly string[] Epochs = ["", "e_1", "e%2", "modern"];

    private LinqDatabase(int seed)
    {
        Folder = Path.Combine(Path.GetTempPath(), "stemeql-linq-" + Guid.NewGuid().ToString("N"));
        var random = new Random(seed);
        var writers = Agents.ToDictionary(a => a, Open);
        var hashes = new List<string>();
        for (int i = 0; i < 60 + random.Next(40); i++)
        {
            var writer = writers[Agents[random.Next(Agents.Length)]];
            using var command = new StemeCommand("ASSERT (@s, @p, @o) IN EPOCH @e WITH CONFIDENCE @c", writer);
            command.Parameters.AddWithValue("s", "s" + random.Next(8));
            command.Parameters.AddWithValue("p", "p" + random.Next(4));
            command.Parameters.AddWithValue("o", RandomObject(random));
            command.Parameters.AddWithValue("e", Epochs[random.Next(Epochs.Length)]);
            command.Parameters.AddWithValue("c", Math.Round(0.2 + random.NextDouble() * 0.8, 2));
            hashes.Add((string)command.ExecuteScalar()!);
            if (i == 30)
            {
                using var max = new StemeCommand("SELECT max(lsn) FROM assertions", writer);
                MiddleLsn = (long)max.ExecuteScalar()!;
            }
        }
        for (int i = 0; i < 40; i++)
        {
            using var vote = new StemeCommand("VOTE @h WEIGHT @w", writers[Agents[random.Next(Agents.Length)]]);
            vote.Parameters.AddWithValue("h", hashes[random.Next(hashes.Count)]);
            vote.Parameters.AddWithValue("w", Math.Round(random.NextDouble(), 2));
            vote.ExecuteNonQuery();
        }
        foreach (var writer in writers.Values) writer.Dispose();
        Reader = Open("reader");
        Ledger = Reference.Assertions(Reader, "");
        Consensus = Reference.Assertions(Reader, "USING LENS consensus");
        Recency = Reference.Assertions(Reader, "USING LENS recency");
        VoteRows = Reference.Votes(Reader);
        AgentRows = Reference.Agents(Reader);
    }

    /// <summary>A database filled from <paramref name="seed"/>.</summary>
    public static LinqDatabase Create(int seed) => new(seed);

    /// <summary>The data folder.</summary>
    public string Folder { get; }

    /// <summary>An open connection for queries.</summary>
    public StemeConnection Reader { get; }

    /// <summary>An LSN in the middle of the assertions, for AS OF.</summary>
    public long MiddleLsn { get; }

    /// <summary>Every assertion, read back with plain StemeQL.</summary>
    public IReadOnlyList<AssertionRow> Ledger { get; }

    /// <summary>The consensus lens's rows, read back with plain StemeQL.</summary>
    public IReadOnlyList<AssertionRow> Consensus { get; }

    /// <summary>The recency lens's rows, read back with plain StemeQL.</summary>
    public IReadOnlyList<AssertionRow> Recency { get; }

    /// <summary>Every vote, read back with plain StemeQL.</summary>
    public IReadOnlyList<VoteRow> VoteRows { get; }

    /// <summary>Every agents row, read back with plain StemeQL.</summary>
    public IReadOnlyList<AgentRow> AgentRows { get; }

    /// <summary>An open connection acting as <paramref name="agent"/>.</summary>
    public StemeConnection Open(string agent)
    {
        var connection = new StemeConnection(new StemeConnectionStringBuilder { DataSource = Folder, Agent = agent }.ConnectionString);
        connection.Open();
        return connection;
    }

    private static object RandomObject(Random random) => random.Next(5) switch
    {
        0 or 1 => (long)random.Next(-5, 30),
        2 => Math.Round(random.NextDouble() * 20 - 5, 2),
        3 => "t" + random.Next(10),
        _ => random.Next(2) == 0,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        Reader?.Dispose();
        try
        {
            if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A store still held by a leaked connection keeps its files; the temp folder is reclaimed later.
        }
    }
}
