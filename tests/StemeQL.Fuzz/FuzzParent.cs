using System.Diagnostics;

namespace StemeQL.Fuzz;

/// <summary>
/// Runs the fuzz loop in child processes, so a stack overflow or a hang cannot take the run down:
/// a child that dies without "DONE" is a crash, reported with the input it was running (which the
/// child writes to a file before each execution); one that stops talking is a hang. Then a new
/// child goes on with the next seed until the statements or the time are used up.
/// </summary>
internal sealed class FuzzParent(FuzzOptions options, TextWriter output)
{
    private const int MaxFindingChars = 1500;
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(30);

    private readonly Stopwatch _clock = new();
    private long _doneBefore;          // statements run by the children that have finished
    private TimeSpan _nextProgress = ProgressEvery;

    public FuzzStats Run()
    {
        var total = new FuzzStats();
        var clock = _clock;
        clock.Start();
        string inputFile = Path.Combine(Path.GetTempPath(), $"stemeql-fuzz-input-{Environment.ProcessId}.txt");
        try
        {
            for (int child = 0; total.Executions < options.Statements && clock.Elapsed.TotalSeconds < options.Seconds; child++)
            {
                int seed = unchecked(options.Seed + child * 7919);
                var stats = RunChild(seed, options.Statements - total.Executions, options.Seconds - clock.Elapsed.TotalSeconds, inputFile);
                total.Add(stats);
                _doneBefore = total.Executions;
                if (stats.Executions == 0 && stats.Crashes == 0 && stats.Hangs == 0) break;
            }
        }
        finally
        {
            File.Delete(inputFile);
        }
        return total;
    }

    private FuzzStats RunChild(int seed, long statements, double seconds, string inputFile)
    {
        File.Delete(inputFile);
        // The child's data folders go here, so that those of a child that crashed are removed too.
        string dataRoot = Directory.CreateDirectory(Path.Combine(FuzzDatabase.DefaultRoot, $"stemeql-fuzz-run-{Environment.ProcessId}-{seed}")).FullName;
        try
        {
            return RunChild(seed, statements, seconds, inputFile, dataRoot);
        }
        finally
        {
            Directory.Delete(dataRoot, recursive: true);
        }
    }

    private FuzzStats RunChild(int seed, long statements, double seconds, string inputFile, string dataRoot)
    {
        var start = ChildStart();
        foreach (string arg in options.ChildArguments(seed, statements, seconds, inputFile, dataRoot)) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The fuzz child did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stats = new FuzzStats();
        var findings = new List<string>();
        bool done = false, hang = false;
        string? hangLine = null;
        long lastLine = Stopwatch.GetTimestamp();
        var reading = Task.Run(() =>
        {
            while (process.StandardOutput.ReadLine() is { } line)
            {
                Volatile.Write(ref lastLine, Stopwatch.GetTimestamp());
                if (line.StartsWith("COUNTS ", StringComparison.Ordinal)) stats = FuzzStats.Parse(line["COUNTS ".Length..]);
                else if (line.StartsWith("FINDING ", StringComparison.Ordinal)) findings.Add(line["FINDING ".Length..]);
                else if (line.StartsWith("HANG ", StringComparison.Ordinal)) hangLine = line;
                else if (line == "DONE") done = true;
            }
        });
        // The child reports a hang itself; this catches one that cannot (a deadlock of the whole process).
        while (!reading.Wait(1000))
        {
            // A long run says how far it has got (on stderr, so the report on stdout stays clean).
            if (_clock.Elapsed >= _nextProgress)
            {
                _nextProgress = _clock.Elapsed + ProgressEvery;
                string of = options.Statements == long.MaxValue ? "" : $" of {options.Statements:N0}";
                Console.Error.WriteLine($"progress: {_doneBefore + Volatile.Read(ref stats).Executions:N0}{of} statements after {_clock.Elapsed:hh\\:mm\\:ss}");
            }
            if (Stopwatch.GetElapsedTime(Volatile.Read(ref lastLine)).TotalSeconds > options.HangSeconds + 60)
            {
                hang = true;
                process.Kill(entireProcessTree: true);
                break;
            }
        }
        process.WaitForExit();
        reading.Wait(5000);
        stats.Findings.AddRange(findings);
        if (hangLine is not null || hang)
        {
            stats.Hangs++;
            stats.Count("hang");
            stats.Findings.Add(hangLine ?? "HANG (child silent) | " + LastInput(inputFile));
        }
        else if (!done)
        {
            stats.Crashes++;
            stats.Count("crash");
            string error = stderr.Wait(5000) ? stderr.Result : "";
            stats.Findings.Add($"CRASH exit code {process.ExitCode} seed {seed}: {FirstLines(error)} | {LastInput(inputFile)}");
        }
        output.WriteLine($"child seed {seed}: {stats.ToLine()}");
        return stats;
    }

    private static string LastInput(string inputFile)
    {
        if (!File.Exists(inputFile)) return "(no input recorded)";
        string text = File.ReadAllText(inputFile);
        return text.Length <= MaxFindingChars ? text : text[..MaxFindingChars] + $"…({text.Length} chars)";
    }

    // The error, then the first frames of the stack (for a stack overflow, the repeated ones).
    private static string FirstLines(string text)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return string.Join(" / ", lines.Take(2).Concat(lines.Where(l => l.StartsWith("at ", StringComparison.Ordinal)).Take(4)));
    }

    // Run the child the way this process was run: "dotnet StemeQL.Fuzz.dll" or the apphost.
    private static ProcessStartInfo ChildStart()
    {
        string self = typeof(FuzzParent).Assembly.Location;
        string host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // A crashed child cannot remove the runtime's diagnostic pipes from /tmp.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(self);
        return start;
    }
}
