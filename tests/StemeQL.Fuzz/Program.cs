using System.Diagnostics;
using StemeQL.Fuzz;

// A grammar-aware mutation fuzzer for StemeQL; see docs/reliability.md.
FuzzOptions options;
try
{
    options = FuzzOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options.Child) return new FuzzLoop(options, Console.Out).Run().Problems == 0 ? 0 : 1;

Console.WriteLine($"seed {options.Seed} (replay with --seed {options.Seed}), max chain {options.MaxChain:N0}, hang limit {options.HangSeconds} s"
    + (options.InProcess ? ", in process" : ", in child processes"));
var clock = Stopwatch.StartNew();
var stats = options.InProcess
    ? new FuzzLoop(options, TextWriter.Null).Run()
    : new FuzzParent(options, Console.Out).Run();
Console.WriteLine();
Console.Write(stats.Report(clock.Elapsed));
Console.WriteLine($"seed {options.Seed}");
Console.WriteLine("SUMMARY " + stats.ToLine());
return stats.Problems == 0 ? 0 : 1;
