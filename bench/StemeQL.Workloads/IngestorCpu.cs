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

    /// <summary>The summed user + system CPU, in microseconds, of every live ingestor thread in this process; NaN where /proc is missing.</summary>
    public static double Microseconds()
    {
        const string tasks = "/proc/self/task";
        if (!Directory.Exists(tasks)) return double.NaN;
        double ticksPerSecond = 100; // USER_HZ on Linux
        double total = 0;
        foreach (var task in Directory.EnumerateDirectories(tasks))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') != ThreadName) continue;
                string stat = File.ReadAllText(Path.Combine(task, "stat"));
                // Fields after the ")" that closes the name: state is field 3, utime 14, stime 15.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                total += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ticksPerSecond * 1e6;
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read.
            }
        }
        return total;
    }
}
