using System.Globalization;

namespace StemeQL.CrashWriter;

/// <summary>
/// <c>shared-write &lt;connection string&gt; &lt;seed&gt; &lt;count&gt;</c>: <c>count</c> random assertions and votes
/// through one StemeQL connection, beside other processes writing to the same database (PostgreSQL).
/// Every assertion is new (a fresh epoch), so every write takes one LSN: each is printed as <c>L &lt;lsn&gt;</c>,
/// then <c>DONE</c>.
/// </summary>
internal static class SharedWriter
{
    private static readonly string[] Values = ["'a'", "'b'", "'c'", "1", "2.5", "TRUE"];
    private static readonly string[] Weights = ["0", "0.25", "0.5", "1"];

    public static int Run(string connectionString, int seed, long count)
    {
        var random = new Random(seed);
        var builder = new StemeConnectionStringBuilder(connectionString) { Agent = "writer" + seed.ToString(CultureInfo.InvariantCulture) };
        using var connection = new StemeConnection(builder.ConnectionString);
        connection.Open();
        var hashes = new List<string>();
        for (long i = 0; i < count; i++)
        {
            using var command = connection.CreateCommand();
            if (hashes.Count == 0 || random.Next(2) == 0)
            {
                command.CommandText = string.Create(CultureInfo.InvariantCulture,
                    $"ASSERT ('s{random.Next(3)}', 'p', {Values[random.Next(Values.Length)]}) IN EPOCH 'w{seed}-{i}' WITH CONFIDENCE {Weights[random.Next(Weights.Length)]}");
                hashes.Add((string)command.ExecuteScalar()!);
            }
            else
            {
                command.CommandText = $"VOTE '{hashes[random.Next(hashes.Count)]}' WEIGHT {Weights[random.Next(Weights.Length)]}";
                command.ExecuteNonQuery();
            }
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"L {connection.LastWriteLsn}"));
        }
        Console.Out.WriteLine("DONE");
        Console.Out.Flush();
        return 0;
    }
}
