using BenchmarkDotNet.Running;

// Micro-benchmarks of the hot paths under the provider. Run all of them with
//   dotnet run -c Release --project bench/StemeQL.Benchmarks -- --filter '*'
// and a quick, less precise pass with  -- --filter '*' --job short
// See docs/performance.md.
//
// Benchmarks run in this process (in-process toolchain): BenchmarkDotNet's default toolchain rebuilds
// the project graph with an absolute intermediate path, which the ANTLR build task of the planner
// turns into a wrong relative one, so that build fails. --inProcess is added unless given.
string[] options = args.Any(a => a.Equals("--inProcess", StringComparison.OrdinalIgnoreCase)) ? args : [.. args, "--inProcess"];
BenchmarkSwitcher.FromAssembly(typeof(StemeQL.Benchmarks.PlanBenchmarks).Assembly).Run(options);
