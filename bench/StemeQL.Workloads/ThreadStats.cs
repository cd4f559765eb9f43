using System.Globalization;

namespace StemeQL.Workloads;

/// <summary>
/// Every thread of this process as Linux counts it (<c>/proc/self/task/*/schedstat</c> and <c>status</c>): time on
/// a CPU, time runnable but waiting for one, and voluntary (slept: a lock, an fsync, a futex) and involuntary
/// (preempted) context switches. A snapshot before and after a loop says which thread spent what, and how often each
/// slept; empty off Linux.
/// </summary>
internal sealed record ThreadStats(string Name, double RunMicroseconds, double WaitMicroseconds, long Voluntary, long Involuntary)
{
    /// <summary>The threads alive now, by thread id.</summary>
    public static Dictionary<int, ThreadStats> Snapshot()
    {
        var threads = new Dictionary<int, ThreadStats>();
        if (!Directory.Exists("/proc/self/task")) return threads;
        foreach (string folder in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                string[] sched = File.ReadAllText(Path.Combine(folder, "schedstat")).Split(' ');
                var status = File.ReadLines(Path.Combine(folder, "status")).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                    .ToDictionary(p => p[0], p => p[1].Trim(), StringComparer.Ordinal);
                threads[int.Parse(Path.GetFileName(folder), CultureInfo.InvariantCulture)] = new ThreadStats(
                    File.ReadAllText(Path.Combine(folder, "comm")).Trim(),
                    long.Parse(sched[0], CultureInfo.InvariantCulture) / 1e3, long.Parse(sched[1], CultureInfo.InvariantCulture) / 1e3,
                    long.Parse(status["voluntary_ctxt_switches"], CultureInfo.InvariantCulture),
                    long.Parse(status["nonvoluntary_ctxt_switches"], CultureInfo.InvariantCulture));
            }
            catch (Exception error) when (error is IOException or FormatException or KeyNotFoundException)
            {
                // The thread ended between the listing and the read.
            }
        }
        return threads;
    }

    /// <summary>What each thread did between two snapshots, summed by name (the runtime's own threads as one).</summary>
    public static IEnumerable<ThreadStats> Between(Dictionary<int, ThreadStats> before, Dictionary<int, ThreadStats> after, int ownThread, string ownName) =>
        after.Select(t => (Name: t.Key == ownThread ? ownName : t.Value.Name.StartsWith(".NET", StringComparison.Ordinal) ? ".NET runtime threads" : t.Value.Name,
                Delta: t.Value.Minus(before.GetValueOrDefault(t.Key))))
            .GroupBy(t => t.Name)
            .Select(g => new ThreadStats(g.Key, g.Sum(t => t.Delta.RunMicroseconds), g.Sum(t => t.Delta.WaitMicroseconds),
                g.Sum(t => t.Delta.Voluntary), g.Sum(t => t.Delta.Involuntary)))
            .OrderByDescending(t => t.RunMicroseconds);

    private ThreadStats Minus(ThreadStats? earlier) => earlier is null ? this
        : this with { RunMicroseconds = RunMicroseconds - earlier.RunMicroseconds, WaitMicroseconds = WaitMicroseconds - earlier.WaitMicroseconds,
            Voluntary = Voluntary - earlier.Voluntary, Involuntary = Involuntary - earlier.Involuntary };
}
