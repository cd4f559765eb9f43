using System.Globalization;
using System.Text;

namespace StemeQL.Fuzz;

/// <summary>What a run saw: executions by outcome, and the findings that must stay at zero.</summary>
internal sealed class FuzzStats
{
    public long Executions;
    public readonly SortedDictionary<string, long> Outcomes = new(StringComparer.Ordinal);
    public long Crashes;
    public long Hangs;
    public long Escapes;
    public long FailingWrites;
    public long Unreadable;
    public long InconsistentReads;
    public readonly List<string> Findings = [];

    public long Problems => Crashes + Hangs + Escapes + FailingWrites + Unreadable + InconsistentReads;

    public void Count(string outcome)
    {
        Executions++;
        Outcomes[outcome] = Outcomes.GetValueOrDefault(outcome) + 1;
    }

    public void Add(FuzzStats other)
    {
        Executions += other.Executions;
        foreach (var (key, value) in other.Outcomes) Outcomes[key] = Outcomes.GetValueOrDefault(key) + value;
        Crashes += other.Crashes;
        Hangs += other.Hangs;
        Escapes += other.Escapes;
        FailingWrites += other.FailingWrites;
        Unreadable += other.Unreadable;
        InconsistentReads += other.InconsistentReads;
        Findings.AddRange(other.Findings);
    }

    /// <summary>One line: "executions=… crashes=… hangs=… escapes=… failing_writes=… outcome:code=n …".</summary>
    public string ToLine()
    {
        var builder = new StringBuilder().Append(CultureInfo.InvariantCulture, $"executions={Executions} crashes={Crashes} hangs={Hangs} escapes={Escapes} failing_writes={FailingWrites} unreadable={Unreadable} inconsistent_reads={InconsistentReads}");
        foreach (var (key, value) in Outcomes) builder.Append(CultureInfo.InvariantCulture, $" outcome:{key}={value}");
        return builder.ToString();
    }

    /// <summary>Reads <see cref="ToLine"/>'s output back.</summary>
    public static FuzzStats Parse(string line)
    {
        var stats = new FuzzStats();
        foreach (string part in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.LastIndexOf('=');
            if (eq < 0) continue;
            string key = part[..eq];
            long value = long.Parse(part[(eq + 1)..], CultureInfo.InvariantCulture);
            switch (key)
            {
                case "executions": stats.Executions = value; break;
                case "crashes": stats.Crashes = value; break;
                case "hangs": stats.Hangs = value; break;
                case "escapes": stats.Escapes = value; break;
                case "failing_writes": stats.FailingWrites = value; break;
                case "unreadable": stats.Unreadable = value; break;
                case "inconsistent_reads": stats.InconsistentReads = value; break;
                default:
                    if (key.StartsWith("outcome:", StringComparison.Ordinal)) stats.Outcomes[key["outcome:".Length..]] = value;
                    break;
            }
        }
        return stats;
    }

    /// <summary>The report a run prints at the end.</summary>
    public string Report(TimeSpan elapsed)
    {
        var builder = new StringBuilder();
        builder.AppendLine(CultureInfo.InvariantCulture, $"statements tried:           {Executions:N0} in {elapsed.TotalSeconds:N0} s ({Executions / Math.Max(elapsed.TotalSeconds, 0.001):N0}/s)");
        builder.AppendLine(CultureInfo.InvariantCulture, $"crashes:                    {Crashes}");
        builder.AppendLine(CultureInfo.InvariantCulture, $"hangs:                      {Hangs}");
        builder.AppendLine(CultureInfo.InvariantCulture, $"non-Steme exceptions:       {Escapes}");
        builder.AppendLine(CultureInfo.InvariantCulture, $"writes by failing commands: {FailingWrites}");
        builder.AppendLine(CultureInfo.InvariantCulture, $"databases left unreadable:  {Unreadable}");
        builder.AppendLine(CultureInfo.InvariantCulture, $"inconsistent reads:         {InconsistentReads}");
        builder.AppendLine("outcomes:");
        foreach (var (key, value) in Outcomes.OrderByDescending(p => p.Value))
            builder.AppendLine(CultureInfo.InvariantCulture, $"  {key,-24} {value,12:N0} ({100.0 * value / Math.Max(Executions, 1):N1}%)");
        if (Findings.Count > 0)
        {
            builder.AppendLine("findings:");
            foreach (string finding in Findings) builder.AppendLine("  " + finding);
        }
        return builder.ToString();
    }
}
