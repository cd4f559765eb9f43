namespace StemeQL.Storage.Journal;

/// <summary>
/// Finds the end of the valid log when a store opens. Frames are only appended at the tail, so a crash
/// can tear at most the last frame of the last segment; any invalid header or frame anywhere is still
/// treated as the end of the log (nothing after it can be trusted or followed by LSN), so recovery
/// truncates there and deletes the later segments.
/// </summary>
internal static class JournalRecovery
{
    public static JournalRecoveryResult Recover(IJournalFileSystem fs, string directory)
    {
        ArgumentNullException.ThrowIfNull(fs);
        ArgumentNullException.ThrowIfNull(directory);
        try
        {
            return RecoverCore(fs, directory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new StemeException(StemeErrorCode.StorageFailure,
                $"The journal at '{directory}' could not be recovered ({error.Message}): fix the disk problem (space, permissions) and reopen the database.",
                error);
        }
    }

    private static JournalRecoveryResult RecoverCore(IJournalFileSystem fs, string directory)
    {
        fs.CreateDirectory(directory);
        var names = fs.ListSegments(directory);
        long lastLsn = 0;
        long? expected = null;   // the LSN the next segment must start with, once one was read
        long truncated = 0;
        int kept = 0;
        string? problem = null;
        int laterDeleted = 0;
        long laterBytes = 0;

        foreach (var name in names)
        {
            var path = Path.Combine(directory, name);
            if (problem is not null)
            {
                // Everything after the end of the valid log goes.
                laterBytes += LengthOf(fs, path);
                fs.Delete(path);
                laterDeleted++;
                continue;
            }
            JournalFormat.TryParseSegmentName(name, out long nameLsn);
            using var file = fs.Open(path);
            var scanner = new SegmentScanner(file);
            var status = scanner.ReadHeader(path, nameLsn);
            if (status == ScanStatus.Ok && expected is long next && scanner.Header.FirstLsn != next
                && !(scanner.Header.Discontinuous && scanner.Header.FirstLsn > next))
            {
                status = ScanStatus.Corrupt;
                problem = $"segment {name} starts at LSN {scanner.Header.FirstLsn}, but the previous segment ends at LSN {next - 1}";
            }
            if (status != ScanStatus.Ok)
            {
                problem ??= $"segment {name}: {scanner.Problem}";
                problem += $"; deleted the segment ({scanner.Length} bytes)";
                truncated += scanner.Length;
                file.Dispose();
                fs.Delete(path);
                continue;
            }

            while ((status = scanner.Next(validateOps: true, out _, out _, out _)) == ScanStatus.Ok)
            {
            }
            if (status != ScanStatus.End)
            {
                long cut = scanner.Length - scanner.Offset;
                problem = $"segment {name}, offset {scanner.Offset}: {scanner.Problem}; dropped {cut} bytes (LSN {scanner.NextLsn} onwards)";
                file.Truncate(scanner.Offset);
                file.Sync();
                truncated += cut;
            }
            kept++;
            lastLsn = scanner.NextLsn - 1;
            expected = scanner.NextLsn;
        }

        if (laterDeleted > 0)
        {
            problem += $"; deleted {laterDeleted} later segment(s) ({laterBytes} bytes)";
            truncated += laterBytes;
        }
        if (problem is not null) fs.SyncDirectory(directory);
        return new JournalRecoveryResult(lastLsn, truncated, kept, problem);
    }

    private static long LengthOf(IJournalFileSystem fs, string path)
    {
        using var file = fs.OpenRead(path);
        return file.Length;
    }
}
