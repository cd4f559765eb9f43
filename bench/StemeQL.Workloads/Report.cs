using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace StemeQL.Workloads;

/// <summary>Medians and percentiles over repetitions or samples.</summary>
internal static class Stats
{
    /// <summary>The middle value (the mean of the two middle ones for an even count); NaN for none.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var valid = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (valid.Length == 0) return double.NaN;
        int middle = valid.Length / 2;
        return valid.Length % 2 == 1 ? valid[middle] : (valid[middle - 1] + valid[middle]) / 2;
    }

    /// <summary>Nearest-rank percentile (p in 0..100); NaN for no values.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        var valid = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (valid.Length == 0) return double.NaN;
        int rank = (int)Math.Ceiling(p / 100 * valid.Length);
        return valid[Math.Clamp(rank - 1, 0, valid.Length - 1)];
    }
}

/// <summary>
/// A workload's printed result: what ran, on what, how to run it again, and its figures as a
/// markdown table (so it pastes into docs/performance.md as it is).
/// </summary>
internal sealed class Report(Options options, string title)
{
    private readonly List<string[]> _rows = [];
    private readonly List<string> _notes = [];
    private string[] _headers = ["measure", "median", "min", "max", "unit", "baseline (same run)", "baseline median", "ratio"];

    /// <summary>Replaces the default columns (for tables that are not medians against baselines).</summary>
    public void Columns(params string[] headers) => _headers = headers;

    /// <summary>A free row under custom columns.</summary>
    public void Raw(params string[] cells) => _rows.Add(cells);

    /// <summary>
    /// A measure over repetitions beside a baseline measured in the same run; the ratio is
    /// measure median / baseline median.
    /// </summary>
    public void Row(string measure, string unit, IReadOnlyList<double> values, string baseline = "", IReadOnlyList<double>? baselineValues = null)
    {
        double median = Stats.Median(values);
        double baseMedian = baselineValues is null ? double.NaN : Stats.Median(baselineValues);
        _rows.Add([
            measure, Format(median), Format(values.Count == 0 ? double.NaN : values.Min()), Format(values.Count == 0 ? double.NaN : values.Max()), unit,
            baseline, Format(baseMedian), double.IsNaN(baseMedian) || baseMedian == 0 ? "" : (100 * median / baseMedian).ToString("0", CultureInfo.InvariantCulture) + "%",
        ]);
    }

    /// <summary>A line printed under the table.</summary>
    public void Note(string text) => _notes.Add(text);

    /// <summary>Prints the report to stdout.</summary>
    public void Print()
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine($"## {options.Command}: {title}");
        text.AppendLine();
        text.AppendLine("reproduce: " + options.ReproduceLine);
        text.AppendLine("machine:   " + Machine.Describe());
        text.AppendLine();
        var widths = _headers.Select((h, i) => Math.Max(h.Length, _rows.Select(r => i < r.Length ? r[i].Length : 0).DefaultIfEmpty(0).Max())).ToArray();
        text.AppendLine(Line(_headers, widths));
        text.AppendLine(Line(widths.Select(w => new string('-', w)).ToArray(), widths));
        foreach (var row in _rows) text.AppendLine(Line(row, widths));
        if (_notes.Count > 0) text.AppendLine();
        foreach (string note in _notes) text.AppendLine("- " + note);
        Console.Write(text.ToString());
        Console.Out.Flush();
    }

    /// <summary>A number with a sensible number of digits; empty for NaN.</summary>
    public static string Format(double value) => double.IsNaN(value) ? "" : Math.Abs(value) switch
    {
        >= 1000 => value.ToString("#,0", CultureInfo.InvariantCulture),
        >= 100 => value.ToString("0.0", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("0.00", CultureInfo.InvariantCulture),
        _ => value.ToString("0.000", CultureInfo.InvariantCulture),
    };

    private static string Line(string[] cells, int[] widths) =>
        "| " + string.Join(" | ", widths.Select((w, i) => (i < cells.Length ? cells[i] : "").PadRight(w))) + " |";
}

/// <summary>The machine, as the report prints it.</summary>
internal static class Machine
{
    public static string Describe()
    {
        string cpu = "unknown CPU";
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
            // Only a label.
        }
        double memoryGiB = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (double)(1L << 30);
        string load = "";
        try
        {
            // Other work on the machine skews the figures; the 1/5/15-minute load averages say how much there was.
            if (File.Exists("/proc/loadavg")) load = ", load average " + string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            // Only a label.
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores ({cpu}), {memoryGiB:0} GiB, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}{load}");
    }
}
