using System.Diagnostics;
using System.Globalization;

namespace StemeQL.Cli;

/// <summary>
/// After an import every row is durable in the journal, but the background worker may still be applying
/// them to the ledger tables and views, and closing the folder waits for it. Rather than sit silent, this
/// waits first, showing how far the views have got (from <c>stemeql_status</c>) on stderr.
/// </summary>
internal static class ViewCatchUp
{
    /// <summary>How often the status is read; reports are printed less often.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>How long to wait silently before saying what is happening: a short catch-up needs no words.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Waits until the views hold everything durable. After <paramref name="quiet"/> (default 1 s) it says why it
    /// waits, then reports progress every <paramref name="interval"/>.
    /// </summary>
    /// <returns>How long it waited; zero when the views were already up to date.</returns>
    public static TimeSpan Wait(StemeConnection connection, TextWriter error, bool terminal, TimeSpan? interval = null, TimeSpan? quiet = null)
    {
        var (durable, materialized) = Read(connection);
        if (materialized >= durable) return TimeSpan.Zero;

        var every = interval ?? (terminal ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();
        long first = materialized;
        while (materialized < durable && clock.Elapsed < (quiet ?? Quiet))
        {
            Thread.Sleep(Poll);
            (durable, materialized) = Read(connection);
        }
        if (materialized >= durable) return clock.Elapsed;

        error.WriteLine(Text($"steme: every row is durable; bringing the views up to date before closing ({durable - materialized} LSNs to apply)."));
        error.WriteLine("       Interrupting is safe: the views then catch up the next time the folder is opened.");
        var printed = TimeSpan.Zero;
        while (materialized < durable)
        {
            Thread.Sleep(Poll);
            (durable, materialized) = Read(connection);
            if (materialized < durable && clock.Elapsed - printed < every) continue;
            printed = clock.Elapsed;
            string line = Text($"views: {Percent(materialized - first, durable - first)}% ({materialized - first} of {durable - first} LSNs applied), {clock.Elapsed.TotalSeconds:F0} s");
            if (terminal) error.Write("\r" + line + "   ");
            else error.WriteLine(line);
            error.Flush();
        }
        if (terminal) error.WriteLine();
        var took = clock.Elapsed;
        error.WriteLine(Text($"views up to date after {took.TotalSeconds:F1} s."));
        return took;
    }

    private static (long Durable, long Materialized) Read(StemeConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT durable_lsn, materialized_lsn FROM stemeql_status";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static long Percent(long done, long total) => total <= 0 ? 100 : Math.Clamp(done * 100 / total, 0, 100);

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
