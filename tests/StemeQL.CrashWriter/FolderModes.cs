using System.Globalization;

namespace StemeQL.CrashWriter;

/// <summary>The modes the second-process tests use: hold a folder, probe it, read it read-only.</summary>
internal static class FolderModes
{
    /// <summary>
    /// <c>hold &lt;folder&gt;</c>: opens the folder for writing and prints READY, then runs one stdin
    /// command per line until stdin closes: <c>assert &lt;n&gt;</c> writes n new assertions in one
    /// ASSERT, waits until they are visible (a Strong read), prints their A lines, then OK. On end of
    /// input it closes the connection (releasing the folder) and prints CLOSED.
    /// </summary>
    public static int Hold(string folder)
    {
        var output = new AckOutput();
        using (var connection = new StemeConnection(new StemeConnectionStringBuilder { DataSource = folder, Agent = "holder" }.ConnectionString))
        {
            connection.Open();
            output.Line("READY");
            long written = 0;
            while (Console.In.ReadLine() is { } line)
            {
                string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words is not ["assert", var countText] || !int.TryParse(countText, CultureInfo.InvariantCulture, out int count) || count < 1)
                {
                    output.Line("ERROR unknown command: " + line);
                    continue;
                }
                var tuples = Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"('held', 'n', {written + i})"));
                using var command = new StemeCommand("ASSERT " + string.Join(", ", tuples), connection);
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read()) output.Assertion(reader.GetString(0), reader.GetInt64(1));
                }
                written += count;
                // Strong consistency: this read returns once the views include the write above, so a
                // reader in another process sees it too.
                using (var check = new StemeCommand("SELECT hash FROM assertions WHERE subject = 'held' LIMIT 1", connection))
                    check.ExecuteScalar();
                output.Line("OK");
            }
        }
        output.Line("CLOSED");
        return 0;
    }

    /// <summary><c>probe &lt;folder&gt;</c>: tries to open for writing; prints OPENED, or LOCKED with the error code and message.</summary>
    public static int Probe(string folder)
    {
        var output = new AckOutput();
        try
        {
            using var connection = new StemeConnection(new StemeConnectionStringBuilder { DataSource = folder, Agent = "probe" }.ConnectionString);
            connection.Open();
            using var command = new StemeCommand("SELECT durable_lsn FROM stemeql_status", connection);
            command.ExecuteScalar();
            output.Line("OPENED");
        }
        catch (StemeException error)
        {
            output.Line($"LOCKED {error.ErrorCode} {error.Message.ReplaceLineEndings(" ")}");
        }
        return 0;
    }

    /// <summary><c>read &lt;folder&gt;</c>: opens Read Only=True and prints every assertion (A) and vote (V), then DONE with the counts.</summary>
    public static int Read(string folder)
    {
        var output = new AckOutput();
        using var connection = new StemeConnection(new StemeConnectionStringBuilder { DataSource = folder, Agent = "reader", ReadOnly = true }.ConnectionString);
        connection.Open();
        int assertions = 0, votes = 0;
        using (var command = new StemeCommand("SELECT hash, lsn FROM assertions", connection))
        using (var reader = command.ExecuteReader())
        {
            for (; reader.Read(); assertions++) output.Assertion(reader.GetString(0), reader.GetInt64(1));
        }
        using (var command = new StemeCommand("SELECT assertion, lsn, weight FROM votes", connection))
        using (var reader = command.ExecuteReader())
        {
            for (; reader.Read(); votes++) output.Vote(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2));
        }
        output.Line(string.Create(CultureInfo.InvariantCulture, $"DONE {assertions} {votes}"));
        return 0;
    }
}
