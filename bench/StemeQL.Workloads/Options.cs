using System.Globalization;

namespace StemeQL.Workloads;

/// <summary>
/// <c>--name value</c> options and the <c>--quick</c> flag. Every value a workload reads is
/// remembered, so the report can print the exact command line that reproduces it.
/// </summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _given = new(StringComparer.Ordinal);
    private readonly List<(string Name, string Value)> _used = [];

    private Options(string command) => Command = command;

    /// <summary>The workload's name.</summary>
    public string Command { get; }

    /// <summary>Small sizes, for a quick look (the figures in docs/performance.md are full runs).</summary>
    public bool Quick { get; private set; }

    /// <summary>Parses <c>&lt;command&gt; [--name value]... [--quick]</c>.</summary>
    public static Options Parse(string[] args)
    {
        if (args.Length == 0) throw new ArgumentException("No workload named.");
        var options = new Options(args[0]);
        for (int i = 1; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg == "--quick") options.Quick = true;
            else if (arg.StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length) options._given[arg[2..]] = args[++i];
            else throw new ArgumentException($"Unexpected argument '{arg}': options are --name value, or --quick.");
        }
        return options;
    }

    /// <summary>An integer option (underscores allowed: 5_000_000), with its full and quick defaults.</summary>
    public long Long(string name, long full, long quick)
    {
        long value = _given.TryGetValue(name, out string? text)
            ? long.Parse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture)
            : Quick ? quick : full;
        Use(name, value.ToString(CultureInfo.InvariantCulture));
        return value;
    }

    /// <summary>An integer option that fits an int.</summary>
    public int Int(string name, int full, int quick) => checked((int)Long(name, full, quick));

    /// <summary>A text option.</summary>
    public string Text(string name, string fallback)
    {
        string value = _given.GetValueOrDefault(name, fallback);
        Use(name, value);
        return value;
    }

    /// <summary>Options given but never read (a typo, most likely).</summary>
    public IEnumerable<string> Unused => _given.Keys.Where(name => !_used.Any(u => u.Name == name));

    /// <summary>The command line that runs this workload again with the same values.</summary>
    public string ReproduceLine =>
        "dotnet run -c Release --project bench/StemeQL.Workloads -- " + Command
        + string.Concat(_used.Select(u => $" --{u.Name} {(u.Value.Contains(' ', StringComparison.Ordinal) ? $"'{u.Value}'" : u.Value)}"));

    private void Use(string name, string value)
    {
        if (!_used.Any(u => u.Name == name)) _used.Add((name, value));
    }
}
