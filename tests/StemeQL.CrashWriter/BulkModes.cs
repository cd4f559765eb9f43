using System.Globalization;

namespace StemeQL.CrashWriter;

/// <summary>
/// <c>bulk &lt;folder&gt; &lt;count&gt; [batchSize]</c>: asserts 64 targets in one ASSERT (printed as a
/// B/A/W group), prints <c>B &lt;count&gt;</c>, then bulk-loads <paramref name="count"/> votes, vote i on
/// target i % 64 with weight (i % 101) / 100, printing <c>P &lt;rows&gt;</c> after each batch is
/// acknowledged, and finally a W line and DONE. The parent can check every stored vote against that
/// formula, and that batches are whole.
/// </summary>
internal static class BulkModes
{
    public const int Targets = 64;

    public static int Run(string folder, long count, int batchSize)
    {
        var output = new AckOutput();
        using var connection = new StemeConnection(new StemeConnectionStringBuilder { DataSource = folder, Agent = "bulk" }.ConnectionString);
        connection.Open();

        string epoch = Guid.NewGuid().ToString("N");
        var tuples = Enumerable.Range(0, Targets).Select(i => string.Create(CultureInfo.InvariantCulture, $"('bulk', 'target', {i})"));
        var targets = new List<string>(Targets);
        long last = 0;
        output.Begin(Targets);
        using (var command = new StemeCommand($"ASSERT {string.Join(", ", tuples)} IN EPOCH '{epoch}'", connection))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                targets.Add(reader.GetString(0));
                last = reader.GetInt64(1);
                output.Assertion(targets[^1], last);
            }
        }
        output.Commit(last - Targets + 1, last, Targets);

        // This process is the only writer, so the votes take the LSNs right after the targets, in input order.
        long first = last + 1;
        var loader = new StemeBulkLoader(connection) { BatchSize = batchSize };
        loader.Progress += (_, progress) => output.Line(string.Create(CultureInfo.InvariantCulture, $"P {progress.RowsWritten}"));
        output.Begin(count);
        long written = loader.WriteVotes(Votes(targets, count));
        output.Commit(first, first + written - 1, written);
        output.Line("DONE");
        return 0;
    }

    /// <summary>Vote <paramref name="i"/> of a bulk load.</summary>
    public static double Weight(long i) => (i % 101) / 100.0;

    private static IEnumerable<BulkVote> Votes(List<string> targets, long count)
    {
        for (long i = 0; i < count; i++) yield return new BulkVote(targets[(int)(i % Targets)], Weight(i));
    }
}
