using System.Diagnostics;

namespace StemeQL.Fuzz;

/// <summary>
/// The fuzzing itself, in one process: makes inputs, runs each, and checks that only a
/// StemeException (or a documented misuse) escaped and that a failing command wrote nothing.
/// Prints "COUNTS …" lines as it goes, "FINDING …" for each problem, and "DONE" at the end.
/// </summary>
internal sealed class FuzzLoop(FuzzOptions options, TextWriter output)
{
    private const int ExecutionsPerDatabase = 500;
    private const int MaxFindingChars = 1500;

    private readonly Random _random = new(options.Seed);
    private readonly FuzzStats _stats = new();
    private long _startedAt;   // Stopwatch ticks of the running execution, 0 when idle
    private FuzzInput? _current;

    public FuzzStats Run()
    {
        var mutator = new Mutator(_random, options.MaxChain);
        var clock = Stopwatch.StartNew();
        var watchdog = new Thread(Watch) { IsBackground = true, Name = "fuzz watchdog" };
        watchdog.Start();
        FuzzDatabase? database = null;
        try
        {
            (long DurableLsn, int Assertions, int Votes) state = default;
            for (long i = 0; i < options.Statements && clock.Elapsed.TotalSeconds < options.Seconds; i++)
            {
                if (i % ExecutionsPerDatabase == 0)
                {
                    database?.Dispose();
                    database = new FuzzDatabase(options.DataRoot ?? FuzzDatabase.DefaultRoot);
                    state = database.State();
                }
                var input = NextInput(mutator, database!);
                if (options.InputFile is { } file) File.WriteAllText(file, input.Describe());
                _current = input;
                Volatile.Write(ref _startedAt, Stopwatch.GetTimestamp());
                var (outcome, escaped) = FuzzTarget.Run(input, database!.Connection, _random);
                Volatile.Write(ref _startedAt, 0);
                if (escaped is not null)
                {
                    _stats.Escapes++;
                    Finding($"escape {escaped.GetType().FullName}: {FirstLine(escaped.Message)} at {FirstFrame(escaped)} | {input.Describe(MaxFindingChars)}");
                }
                _stats.Count(outcome ?? "escape:" + escaped!.GetType().Name);
                try
                {
                    state = Check(database, input, outcome == "ok", state);
                }
                catch (StemeException e)
                {
                    // The database no longer reads back: a finding of its own; go on with a fresh one.
                    _stats.Unreadable++;
                    Finding($"unreadable database after the input ({e.ErrorCode}: {FirstLine(e.Message)}) | {input.Describe(MaxFindingChars)}");
                    database.Dispose();
                    database = new FuzzDatabase(options.DataRoot ?? FuzzDatabase.DefaultRoot);
                    state = database.State();
                }
                if (_stats.Executions % 200 == 0) output.WriteLine("COUNTS " + _stats.ToLine());
            }
        }
        finally
        {
            database?.Dispose();
        }
        output.WriteLine("COUNTS " + _stats.ToLine());
        output.WriteLine("DONE");
        return _stats;
    }

    // A failing command, and any command rolled back in its transaction, must leave the durable
    // LSN and the row counts as they were; a successful one moves the baseline.
    private (long, int, int) Check(FuzzDatabase database, FuzzInput input, bool succeeded, (long DurableLsn, int Assertions, int Votes) before)
    {
        bool mustNotWrite = !succeeded || input.Mode == ExecutionMode.InTransaction;
        if (!mustNotWrite) return database.DurableLsn() == before.DurableLsn ? before : database.State();
        var after = database.State();
        if (after != before && after.DurableLsn == before.DurableLsn)
        {
            // Every new assertion and vote takes an LSN, so counts that moved while the durable LSN
            // did not are two reads that disagree, not a write: a finding of its own.
            _stats.InconsistentReads++;
            Finding($"inconsistent reads: (lsn, assertions, votes) {before} then {after}, then {database.State()} | {input.Describe(MaxFindingChars)}");
        }
        else if (after != before)
        {
            _stats.FailingWrites++;
            Finding($"failing command wrote: (lsn, assertions, votes) {before} -> {after} | {input.Describe(MaxFindingChars)}");
        }
        return after;
    }

    private FuzzInput NextInput(Mutator mutator, FuzzDatabase database)
    {
        string text = mutator.Next();
        var parameters = new List<(string, object?)>();
        foreach (string name in (string[])["s", "p", "o", "h", "w", "n", "since"])
        {
            if (_random.Next(8) == 0) continue;   // sometimes missing
            object? value = _random.Next(3) == 0 ? OddValues.Next(_random) : name switch
            {
                "h" => database.Hash,
                "w" => 0.5,
                "n" => 3,
                "since" => DateTime.UtcNow.AddDays(-1),
                "o" => _random.Next(2) == 0 ? 42 : "value",
                _ => "k",
            };
            parameters.Add((name, value));
        }
        if (_random.Next(10) == 0) parameters.Add(("unused", OddValues.Next(_random)));
        var mode = (ExecutionMode)_random.Next(Enum.GetValues<ExecutionMode>().Length);
        return new FuzzInput(text, parameters, mode);
    }

    private void Finding(string text)
    {
        _stats.Findings.Add(text);
        output.WriteLine("FINDING " + text.ReplaceLineEndings(" "));
    }

    // An execution that outlives the hang limit (well past its CommandTimeout) is reported with its
    // input, and the process exits: the thread cannot be stopped, and the parent starts a new child.
    private void Watch()
    {
        while (true)
        {
            Thread.Sleep(1000);
            long started = Volatile.Read(ref _startedAt);
            if (started != 0 && Stopwatch.GetElapsedTime(started).TotalSeconds > options.HangSeconds)
            {
                output.WriteLine("COUNTS " + _stats.ToLine());
                output.WriteLine($"HANG over {options.HangSeconds} s | " + _current?.Describe(MaxFindingChars).ReplaceLineEndings(" "));
                output.Flush();
                Environment.Exit(3);
            }
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private static string FirstFrame(Exception e) =>
        e.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "?";
}
