using System.Diagnostics;
using System.Globalization;

namespace StemeQL.Cli;

/// <summary>Runs statements on the shell's connection and prints their result sets, timings and errors.</summary>
internal sealed class StatementExecutor(StemeConnection connection, TextWriter output, TextWriter error)
{
    private readonly ManualResetEventSlim _watchStopped = new();
    private volatile StemeCommand? _running;
    private volatile bool _watching;

    /// <summary>Whether to print <c>Time: n ms</c> after each statement.</summary>
    public bool Timer { get; set; }

    /// <summary>How result sets are printed (<c>.mode</c>, <c>\x</c>).</summary>
    public ResultPrinter Printer { get; } = new();

    /// <summary>Where results go.</summary>
    public TextWriter Output => output;

    /// <summary>Where errors go.</summary>
    public TextWriter Error => error;

    /// <summary>The connection statements run on.</summary>
    public StemeConnection Connection => connection;

    /// <summary>
    /// Runs each statement of <paramref name="text"/> in turn, stopping at the first that fails.
    /// Error positions count from the start of the text, shifted by <paramref name="lineOffset"/> lines when it
    /// is part of a script; null means it was typed at the prompt.
    /// </summary>
    /// <returns>False when a statement failed.</returns>
    public bool Run(string text, int? lineOffset)
    {
        foreach (var segment in StatementSplitter.Split(text))
        {
            if (segment.HasContent && !RunStatement(segment, text, lineOffset))
                return false;
        }
        return true;
    }

    /// <summary>Cancels the statement in progress, if any (Ctrl+C while it runs).</summary>
    public bool CancelRunning()
    {
        var command = _running;
        command?.Cancel();
        return command is not null;
    }

    /// <summary>Ctrl+C outside the line editor: ends a <c>\watch</c> and cancels the statement in progress.</summary>
    /// <returns>True when there was something to stop.</returns>
    public bool Interrupt()
    {
        bool watching = _watching;
        if (watching) _watchStopped.Set();
        return CancelRunning() | watching;
    }

    /// <summary>
    /// psql's <c>\watch</c>: runs <paramref name="text"/> every <paramref name="interval"/>, each run headed by the
    /// time, until <see cref="Interrupt"/> (Ctrl+C) or a failing run.
    /// </summary>
    /// <returns>False when a run failed other than by being interrupted.</returns>
    public bool Watch(string text, TimeSpan interval)
    {
        _watchStopped.Reset();
        _watching = true;
        try
        {
            while (true)
            {
                output.WriteLine(DateTime.Now.ToString("ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture)
                    + " (every " + interval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s; Ctrl+C stops)");
                output.WriteLine();
                if (!Run(text, null)) return _watchStopped.IsSet;
                if (_watchStopped.Wait(interval)) return true;
            }
        }
        finally
        {
            _watching = false;
        }
    }

    private bool RunStatement(StatementSegment segment, string text, int? lineOffset)
    {
        var elapsed = new Stopwatch();
        try
        {
            using var command = connection.CreateCommand();
            // The segment keeps its leading whitespace and comments so the parser's positions map back to the text.
            command.CommandText = segment.Text;
            _running = command;
            elapsed.Start();
            using var reader = command.ExecuteReader();
            do
            {
                if (reader.FieldCount == 0) continue;
                // Printing is timed too: the streaming modes read rows while they print them.
                Printer.Print(output, reader);
            } while (reader.NextResult());
            elapsed.Stop();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever went wrong (a StemeException or an unexpected failure), report it; the caller decides whether to go on.
            ErrorReporter.Report(error, e, segment, text, lineOffset);
            return false;
        }
        finally
        {
            _running = null;
        }

        if (Timer)
            output.WriteLine("Time: " + elapsed.Elapsed.TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture) + " ms");
        if (Printer.SeparatesResults) output.WriteLine();
        return true;
    }
}
