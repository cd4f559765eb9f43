using System.Globalization;

namespace StemeQL.Fuzz;

/// <summary>The command line: <c>[--statements N] [--seconds S] [--seed X] [--max-chain N] [--hang-seconds S] [--in-process]</c>.</summary>
internal sealed record FuzzOptions
{
    public long Statements { get; init; } = long.MaxValue;
    public double Seconds { get; init; } = double.PositiveInfinity;
    public int Seed { get; init; } = Random.Shared.Next();
    public int MaxChain { get; init; } = 100_000;
    public int HangSeconds { get; init; } = 60;
    public bool InProcess { get; init; }
    public bool Child { get; init; }
    public string? InputFile { get; init; }
    public string? DataRoot { get; init; }

    public const string Usage =
        "usage: StemeQL.Fuzz [--statements N] [--seconds S] [--seed X] [--max-chain N] [--hang-seconds S] [--in-process]\n"
        + "  Runs mutated StemeQL statements with odd parameter values against a fresh database in a child process,\n"
        + "  restarting it after a crash, and prints statements tried, outcomes by error code, crashes, hangs,\n"
        + "  non-StemeException escapes, writes by failing commands, databases left unreadable and inconsistent\n"
        + "  reads. Exit code 1 when any of those six is not 0.\n"
        + "  Without --statements or --seconds it runs 10,000 statements.";

    public static FuzzOptions Parse(string[] args)
    {
        var options = new FuzzOptions();
        bool bounded = false;
        for (int i = 0; i < args.Length; i++)
        {
            string option = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            options = args[i] switch
            {
                "--statements" => options with { Statements = long.Parse(Value(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture) },
                "--seconds" => options with { Seconds = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--max-chain" => options with { MaxChain = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--hang-seconds" => options with { HangSeconds = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--in-process" => options with { InProcess = true },
                "--child" => options with { Child = true },
                "--input-file" => options with { InputFile = Value() },
                "--data-root" => options with { DataRoot = Value() },
                _ => throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}"),
            };
            bounded |= option is "--statements" or "--seconds";
        }
        return bounded || options.Child ? options : options with { Statements = 10_000 };
    }

    /// <summary>The arguments that start a child with these options.</summary>
    public IEnumerable<string> ChildArguments(int seed, long statements, double seconds, string inputFile, string dataRoot) =>
    [
        "--child", "--seed", seed.ToString(CultureInfo.InvariantCulture),
        "--statements", statements.ToString(CultureInfo.InvariantCulture),
        "--seconds", seconds.ToString("R", CultureInfo.InvariantCulture),
        "--max-chain", MaxChain.ToString(CultureInfo.InvariantCulture),
        "--hang-seconds", HangSeconds.ToString(CultureInfo.InvariantCulture),
        "--input-file", inputFile,
        "--data-root", dataRoot,
    ];
}
