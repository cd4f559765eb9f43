using System.Globalization;
using StemeQL.Internal;

namespace StemeQL.Cli;

/// <summary>
/// <c>steme import FILE.jsonl [folder]</c>: streams a JSON Lines file of assertions and votes into the
/// database through the bulk loader, in file order, a batch at a time. A whole batch is parsed and
/// checked before any of it is written, and each batch is one atomic write, so a bad line leaves its
/// batch unwritten and the earlier batches written.
/// </summary>
internal static class ImportCommand
{
    /// <summary>How often (in lines) to look at the clock for progress.</summary>
    private const int ProgressEvery = 4096;

    /// <returns>0 success; 1 a bad line, an unreadable file or a database error; 2 a bad command line.</returns>
    public static int Run(IReadOnlyList<string> args, ConsoleHost host)
    {
        ImportOptions options;
        try
        {
            options = ImportOptions.Parse(args, host.Environment);
        }
        catch (ShellOptionsException e)
        {
            host.Error.WriteLine($"steme import: {e.Message}");
            host.Error.WriteLine();
            host.Error.WriteLine(ImportOptions.Usage);
            return ShellOptions.UsageExitCode;
        }
        if (options.ShowHelp)
        {
            host.Out.WriteLine(ImportOptions.Usage);
            return 0;
        }

        FileStream file;
        try
        {
            file = new FileStream(options.File, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            host.Error.WriteLine($"error: cannot read '{options.File}': {e.Message}");
            return 1;
        }

        using (file)
        using (var connection = new StoreNotices(host.Error).Connection(options.ConnectionString))
        {
            try
            {
                connection.Open();
            }
            catch (Exception e) when (e is StemeException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                host.Error.WriteLine(e is StemeException ? ErrorReporter.Describe(e) : $"{ErrorReporter.Describe(e)} (opening '{options.Target.Description}')");
                return 1;
            }
            bool terminal = host.IsRealConsole && !Console.IsErrorRedirected;
            var progress = new ImportProgress(host.Error, terminal, file.CanSeek ? file.Length : 0);
            var loader = new StemeBulkLoader(connection) { BatchSize = options.BatchSize };
            int code = Load(new JsonLinesReader(file), loader.OpenWriter("line", numbered: true), progress, host);
            // Closing waits for the views to apply every durable row: say so, with progress, instead of sitting silent.
            try
            {
                ViewCatchUp.Wait(connection, host.Error, terminal);
            }
            catch (StemeException e)
            {
                host.Error.WriteLine(ErrorReporter.Describe(e));
                return 1;
            }
            return code;
        }
    }

    private static int Load(JsonLinesReader lines, BulkWriter writer, ImportProgress progress, ConsoleHost host)
    {
        long rowsRead = 0;
        try
        {
            while (lines.TryReadLine(out var line))
            {
                if (line.Trim(" \t"u8).IsEmpty) continue;
                rowsRead++;
                var row = Parse(line, lines.LineNumber);
                if (row.IsVote) writer.Add(row.Vote, lines.LineNumber);
                else writer.Add(row.Assertion, lines.LineNumber);
                if (writer.IsFull) writer.Flush();
                if (rowsRead % ProgressEvery == 0) progress.Update(lines.BytesConsumed, rowsRead);
            }
            writer.Complete();
        }
        catch (Exception e) when (e is ImportLineException or StemeException or IOException)
        {
            writer.DrainAfterError();
            progress.Clear();
            // Row errors from the loader already start "line N: ".
            host.Error.WriteLine(e is StemeException steme && !steme.Data.Contains("Row") ? ErrorReporter.Describe(e) : $"error: {e.Message}");
            Summary(host.Out, rowsRead, writer, progress.Elapsed, failed: true);
            return 1;
        }
        progress.Clear();
        Summary(host.Out, rowsRead, writer, progress.Elapsed, failed: false);
        return 0;
    }

    private static ImportRow Parse(ReadOnlySpan<byte> line, long number)
    {
        try
        {
            return JsonLineParser.Parse(line);
        }
        catch (ImportLineException e)
        {
            throw new ImportLineException($"line {number}: {e.Message}");
        }
    }

    private static void Summary(TextWriter output, long rowsRead, BulkWriter writer, TimeSpan elapsed, bool failed)
    {
        var culture = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(culture, $"rows read:    {rowsRead}"));
        output.WriteLine(string.Create(culture, $"rows written: {writer.RowsWritten}{(failed ? " (before the failure; nothing of the failing batch was written)" : "")}"));
        output.WriteLine(string.Create(culture, $"assertions:   {writer.AssertionsCreated} created, {writer.AssertionsExisting} already present"));
        output.WriteLine(string.Create(culture, $"votes:        {writer.VotesWritten}"));
        output.WriteLine(string.Create(culture, $"elapsed:      {elapsed.TotalSeconds:F3} s ({ImportProgress.Rate(writer.RowsWritten, elapsed)} rows/s)"));
    }
}
