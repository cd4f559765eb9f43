using System.Diagnostics;
using System.Globalization;

namespace StemeQL.Cli;

/// <summary>
/// Shows how far an import has got on stderr: a bar redrawn in place at a terminal, otherwise a line
/// now and then (so a log is not flooded).
/// </summary>
internal sealed class ImportProgress(TextWriter error, bool terminal, long totalBytes, TimeSpan? interval = null)
{
    private const int BarWidth = 30;
    private readonly TimeSpan _interval = interval ?? (terminal ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(10));
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _last;
    private bool _drawn;

    /// <summary>The time since the import started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Reports progress if the interval has passed since the last report.</summary>
    public void Update(long bytes, long rows)
    {
        var now = _clock.Elapsed;
        if (now - _last < _interval) return;
        _last = now;
        // An unseekable input has no known size: no percentage then.
        string percent = totalBytes > 0 ? $"{Math.Min(100, bytes * 100 / totalBytes),3}% " : "";
        string rate = Rate(rows, now);
        if (terminal)
        {
            int filled = totalBytes > 0 ? (int)Math.Min(BarWidth, bytes * BarWidth / totalBytes) : 0;
            error.Write($"\r[{new string('#', filled)}{new string('.', BarWidth - filled)}] {percent}{rows} rows, {rate} rows/s ");
            _drawn = true;
        }
        else
        {
            error.WriteLine($"import: {percent.TrimStart()}{rows} rows read, {rate} rows/s");
        }
        error.Flush();
    }

    /// <summary>Removes the bar, so what follows starts on a clean line.</summary>
    public void Clear()
    {
        if (!_drawn) return;
        error.Write("\r" + new string(' ', BarWidth + 60) + "\r");
        error.Flush();
        _drawn = false;
    }

    /// <summary>Rows per second, as a whole number.</summary>
    public static string Rate(long rows, TimeSpan elapsed) =>
        (elapsed.TotalSeconds > 0 ? rows / elapsed.TotalSeconds : 0).ToString("F0", CultureInfo.InvariantCulture);
}
