using System.Globalization;

namespace StemeQL.Workloads;

/// <summary>
/// The CPU time the store's background ingestor thread has used, read from /proc (Linux only): a
/// per-event cost that other jobs on the machine do not distort the way they distort wall-clock rates.
/// </summary>
internal static class IngestorCpu
{
    // The kernel keeps 15 characters of a thread's name ("StemeQL ingestor").
    private const string ThreadName = "StemeQL ingesto";

    /// <summary>The thread that decodes journal frames ahead of the ingestor while a backlog builds up.</summary>
    public const string DecoderThreadName = "StemeQL decoder";

    /// <summary>The CPU used so far, in microseconds, by each live ingestor thread (or thread named <paramref name="threadName"/>) of this process, by thread id; empty where /proc is missing.</summary>
    public static Dictionary<string, double> Snapshot(string threadName = ThreadName)
    {
        const string tasks = "/proc/self/task";
        var threads = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!Directory.Exists(tasks)) return threads;
        const double TicksPerSecond = 100; // USER_HZ on Linux
        foreach (var task in Directory.EnumerateDirectories(tasks))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') != threadName) continue;
                string stat = File.ReadAllText(Path.Combine(task, "stat"));
                // Fields after the ")" that closes the name: state is field 3, utime 14, stime 15.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                threads[Path.GetFileName(task)] = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond * 1e6;
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read.
            }
        }
        return threads;
    }

    /// <summary>
    /// The CPU, in microseconds, that the ingestor threads alive now have used since <paramref name="before"/>
    /// (a thread started since counts from zero; one that ended since, such as a store closed meanwhile, not at all).
    /// NaN where /proc is missing.
    /// </summary>
    public static double Since(Dictionary<string, double> before, string threadName = ThreadName)
    {
        var now = Snapshot(threadName);
        if (now.Count == 0) return double.NaN;
        return now.Sum(t => t.Value - before.GetValueOrDefault(t.Key));
    }
}
