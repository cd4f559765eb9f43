using StemeQL.Tests.Support;

namespace StemeQL.Tests.EndToEnd;

/// <summary>
/// The same lens query answered by MaterializedViewLookup and by LensScan (forced with AS OF the
/// newest LSN) must agree row for row on random histories of assertions, re-assertions and votes.
/// </summary>
public sealed class MaterializedViewDifferentialTests
{
    private static readonly string[] Subjects = ["s0", "s1", "s2"];
    private static readonly string[] Predicates = ["p0", "p1"];
    private static readonly string[] Objects = ["'a'", "'b'", "'c'", "1", "1.0", "TRUE"];
    private static readonly string[] Weights = ["0", "0.25", "0.5", "1", "1.0", "0.1", "0.3"];

    /// <summary>(backend, seed) pairs: five random histories on every backend.</summary>
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var backend in StorageBackend.All)
            for (int seed = 1; seed <= 5; seed++) data.Add(backend.Name, seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void View_lookup_equals_lens_scan_on_random_histories(string backend, int seed)
    {
        var random = new Random(seed);
        using var database = StorageBackend.Named(backend).CreateDatabase();
        var connections = Enumerable.Range(0, 4).Select(i => database.Open("agent" + i)).ToArray();
        try
        {
            var hashes = new List<string>();
            for (int step = 0; step < 150; step++)
            {
                var connection = connections[random.Next(connections.Length)];
                using var command = connection.CreateCommand();
                if (hashes.Count == 0 || random.NextDouble() < 0.4)
                {
                    command.CommandText = $"ASSERT ('{Pick(random, Subjects)}', '{Pick(random, Predicates)}', {Pick(random, Objects)}) WITH CONFIDENCE {Pick(random, Weights)}";
                    hashes.Add((string)command.ExecuteScalar()!);
                }
                else
                {
                    command.CommandText = $"VOTE '{Pick(random, hashes)}' WEIGHT {Pick(random, Weights)}";
                    command.ExecuteNonQuery();
                }
                if (step % 25 == 24) Compare(connections);
            }
            Compare(connections);
        }
        finally
        {
            foreach (var connection in connections) connection.Dispose();
        }
    }

    // The writes came through four connections: connection 0 reads your-writes only, so it first waits
    // for the newest of their tokens.
    private static void Compare(StemeConnection[] connections)
    {
        var connection = connections[0];
        connection.WaitForLsn(connections.Max(c => c.LastWriteLsn));
        foreach (var lens in new[] { "consensus", "recency" })
        {
            foreach (var subject in Subjects)
            {
                const string columns = "hash, subject, predicate, object, agent, lsn, confidence, support, candidates";
                var viewSql = $"SELECT {columns} FROM assertions USING LENS {lens} WHERE subject = '{subject}'";
                var scanSql = $"SELECT {columns} FROM assertions USING LENS {lens} AS OF LSN 9223372036854775807 WHERE subject = '{subject}'";
                Assert.Equal("MaterializedViewLookup", FirstOperator(connection, viewSql));
                Assert.Equal("LensScan", FirstOperator(connection, scanSql));
                Assert.Equal(ResultRows.Of(connection, scanSql), ResultRows.Of(connection, viewSql));
            }
        }
    }

    private static string FirstOperator(StemeConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN " + sql;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return reader.GetString(1);
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
