using System.Diagnostics;

namespace StemeQL.Planner.Execution.Stages;

/// <summary>
/// EXPLAIN ANALYZE's counters: rows each step produced and the time spent pulling them (inclusive of
/// the steps before it, as the rows are pulled through the whole pipeline).
/// </summary>
internal sealed class StageMeter(int steps)
{
    public long[] Rows { get; } = new long[steps];

    public long[] Ticks { get; } = new long[steps];

    public IEnumerable<T> Measure<T>(int step, IEnumerable<T> rows)
    {
        using var enumerator = rows.GetEnumerator();
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            bool more = enumerator.MoveNext();
            Ticks[step] += Stopwatch.GetTimestamp() - start;
            if (!more) yield break;
            Rows[step]++;
            yield return enumerator.Current;
        }
    }

    public double Milliseconds(int step) => Ticks[step] * 1000.0 / Stopwatch.Frequency;
}
