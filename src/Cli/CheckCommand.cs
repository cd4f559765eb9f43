using System.Diagnostics;
using System.Globalization;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Cli;

/// <summary>
/// <c>steme check [folder | --connection TEXT] [--repair]</c>: verifies every stored assertion's hash, every vote's target,
/// the materialized views against a fold of the ledger and the journal's frames, prints each problem
/// and a summary. It changes nothing unless <c>--repair</c> is given, which rebuilds the views from
/// the ledger (damaged ledger rows and journal frames are reported, never "fixed").
/// </summary>
internal static class CheckCommand
{
    public const string Usage = """
        Usage: steme check [folder | --connection TEXT] [--repair]

        Verifies the database in folder (default ./stemedb): SQLite's check of store.db, the hash of
        every assertion, the target of every vote, the materialized views against a fold of the
        ledger, and the checksum of every journal frame. Prints each problem (kind, LSN, hash,
        detail) and a summary. Nothing is changed unless --repair is given.

        Options:
          --connection TEXT
                       check the store a StemeQL connection string names (a PostgreSQL store, say:
                       its hashes, vote targets and views) instead of a folder
          --repair     rebuild the materialized views from the ledger when they differ from it
                       (needs the folder open for writing; damaged ledger rows and journal frames
                       are only reported: restore those from a backup)
          -h, --help   show this help and exit

        Exit code: 0 when no problem was found, 1 when problems were found (even if repaired) or
        the check could not run, 2 for a bad command line. While another process writes the
        folder, the check reads beside it (without --repair).
        """;

    public static int Run(IReadOnlyList<string> args, ConsoleHost host)
    {
        bool repair = false;
        StoreTarget target;
        try
        {
            string? folder = null, connectionString = null;
            for (int i = 0; i < args.Count; i++)
            {
                string arg = args[i];
                var (name, inline) = OptionSyntax.Split(arg);
                switch (name)
                {
                    case "--repair" when inline is null: repair = true; break;
                    case StoreTarget.ConnectionOption: connectionString = OptionSyntax.Value(name, inline, args, ref i); break;
                    case "-h" or "--help" or "-?":
                        host.Out.WriteLine(Usage);
                        return 0;
                    default:
                        if (arg.StartsWith('-')) throw new ShellOptionsException($"unknown option '{arg}'");
                        folder = folder is null ? arg : throw new ShellOptionsException($"only one folder, got also '{arg}'");
                        break;
                }
            }
            target = StoreTarget.FromArguments(folder, connectionString);
        }
        catch (ShellOptionsException e)
        {
            host.Error.WriteLine($"steme check: {e.Message}");
            host.Error.WriteLine();
            host.Error.WriteLine(Usage);
            return ShellOptions.UsageExitCode;
        }
        if (target.Folder is { } path && !File.Exists(Path.Combine(path, "store.db")))
        {
            host.Error.WriteLine($"error: there is no StemeQL database in '{path}' to check: check the path.");
            return 1;
        }
        using var connection = Open(target, repair, host);
        if (connection is null) return 1;
        var progress = new CheckProgress(host.Error, host.IsRealConsole && !Console.IsErrorRedirected);
        IntegrityReport report;
        try
        {
            report = connection.Session.Store.CheckIntegrity(repair, progress, CancellationToken.None);
        }
        catch (StemeException e)
        {
            progress.Clear();
            host.Error.WriteLine(ErrorReporter.Describe(e));
            return 1;
        }
        progress.Clear();
        Print(report, host.Out, progress.Elapsed, journal: target.Folder is not null);
        return report.IsSound ? 0 : 1;
    }

    // A folder another process writes is checked read-only beside it; repair needs it to itself.
    // A server's store is shared by design, so it is checked as it is (its writes wait for the check).
    private static StemeConnection? Open(StoreTarget target, bool repair, ConsoleHost host)
    {
        foreach (bool readOnly in repair || target.Folder is null ? new[] { false } : [false, true])
        {
            var connection = new StoreNotices(host.Error).Connection(target.ConnectionString(agent: null, readOnly));
            try
            {
                connection.Open();
                if (readOnly) host.Error.WriteLine($"note: '{target.Folder}' is in use by another process; checking what it has stored so far.");
                return connection;
            }
            catch (StemeException e) when (e.ErrorCode == StemeErrorCode.DatabaseLocked && !readOnly && !repair)
            {
                connection.Dispose();
            }
            catch (Exception e) when (e is StemeException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                connection.Dispose();
                host.Error.WriteLine(e is StemeException ? ErrorReporter.Describe(e) : $"{ErrorReporter.Describe(e)} (opening '{target.Description}')");
                return null;
            }
        }
        return null;
    }

    private static void Print(IntegrityReport report, TextWriter output, TimeSpan elapsed, bool journal)
    {
        var culture = CultureInfo.InvariantCulture;
        foreach (var p in report.Problems)
            output.WriteLine(string.Create(culture, $"{p.Kind}\tlsn {(p.Lsn is { } lsn ? lsn.ToString(culture) : "-")}\thash {p.Hash?.ToString() ?? "-"}\t{p.Detail}"));
        output.WriteLine(string.Create(culture, $"assertions:     {report.Assertions} hashes verified"));
        output.WriteLine(string.Create(culture, $"votes:          {report.Votes} targets verified"));
        output.WriteLine(string.Create(culture, $"view rows:      {report.ViewRows} compared with the ledger"));
        if (journal) output.WriteLine(string.Create(culture, $"journal frames: {report.JournalFrames} checksums verified"));
        output.WriteLine(string.Create(culture, $"problems:       {report.Problems.Count}{(report.ViewsRebuilt ? " (views rebuilt from the ledger)" : "")}"));
        output.WriteLine(string.Create(culture, $"elapsed:        {elapsed.TotalSeconds:F3} s"));
    }

    /// <summary>Shows the stage and count on stderr: redrawn in place at a terminal, else a line every 10 s.</summary>
    private sealed class CheckProgress(TextWriter error, bool terminal) : IProgress<IntegrityProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly TimeSpan _interval = terminal ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(10);
        private TimeSpan _last;
        private bool _drawn;

        public TimeSpan Elapsed => _clock.Elapsed;

        public void Report(IntegrityProgress value)
        {
            var now = _clock.Elapsed;
            if (now - _last < _interval) return;
            _last = now;
            string text = string.Create(CultureInfo.InvariantCulture, $"check: {value.Stage} {value.Done} after {now.TotalSeconds:F0} s");
            if (terminal)
            {
                error.Write("\r" + text.PadRight(60));
                _drawn = true;
            }
            else
            {
                error.WriteLine(text);
            }
            error.Flush();
        }

        public void Clear()
        {
            if (!_drawn) return;
            error.Write("\r" + new string(' ', 60) + "\r");
            _drawn = false;
        }
    }
}
