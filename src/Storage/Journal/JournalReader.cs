namespace StemeQL.Storage.Journal;

/// <summary>
/// Reads batches back from a recovered journal: on open (replay past the watermarks) and while the
/// writer runs (an ingestor catching up). A torn frame at the very tail is a frame still being
/// written, so reading stops there; anything else invalid is a storage failure.
/// </summary>
internal static class JournalReader
{
    /// <summary>The batches whose LastLsn &gt; <paramref name="afterLsn"/>, in LSN order.</summary>
    public static IEnumerable<JournalBatch> ReadAfter(IJournalFileSystem fs, string directory, long afterLsn)
    {
        ArgumentNullException.ThrowIfNull(fs);
        ArgumentNullException.ThrowIfNull(directory);
        return Read(fs, directory, afterLsn);
    }

    private static IEnumerable<JournalBatch> Read(IJournalFileSystem fs, string directory, long afterLsn)
    {
        var names = fs.ListSegments(directory);
        var firstLsns = new long[names.Count];
        for (int i = 0; i < names.Count; i++) JournalFormat.TryParseSegmentName(names[i], out firstLsns[i]);

        long? expected = null;
        for (int i = 0; i < names.Count; i++)
        {
            bool last = i == names.Count - 1;
            if (!last && firstLsns[i + 1] - 1 <= afterLsn)
            {
                // Every LSN of this segment is at most afterLsn: skip it without reading.
                expected = null;
                continue;
            }
            var path = Path.Combine(directory, names[i]);
            using var file = Open(fs, path);
            var scanner = new SegmentScanner(file);
            var status = scanner.ReadHeader(path, firstLsns[i]);
            if (status == ScanStatus.Torn && last) yield break;
            if (status != ScanStatus.Ok) throw Corrupt(path, 0, scanner.Problem);
            if (expected is long next && scanner.Header.FirstLsn != next
                && !(scanner.Header.Discontinuous && scanner.Header.FirstLsn > next))
                throw Corrupt(path, 0, $"the segment starts at LSN {scanner.Header.FirstLsn} but the previous one ends at LSN {next - 1}");

            while (true)
            {
                // A segment's frames end where the next segment starts: what follows is its seal, which a live
                // writer may be appending right now (after starting the next segment), so it is not read here.
                if (!last && scanner.NextLsn == firstLsns[i + 1]) break;
                long offset = scanner.Offset;
                status = scanner.Next(validateOps: false, out var payload, out long firstLsn, out int count);
                if (status == ScanStatus.End) break;
                if (status == ScanStatus.Torn && last) yield break;
                if (status != ScanStatus.Ok) throw Corrupt(path, offset, scanner.Problem);
                if (firstLsn + count - 1 <= afterLsn) continue;
                yield return Decode(payload, path, offset);
            }
            expected = scanner.NextLsn;
        }
    }

    private static IJournalFile Open(IJournalFileSystem fs, string path)
    {
        try
        {
            return fs.OpenRead(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new StemeException(StemeErrorCode.StorageFailure,
                $"The journal segment '{path}' could not be read ({error.Message}): fix the disk problem and reopen the database.", error);
        }
    }

    private static JournalBatch Decode(ReadOnlyMemory<byte> payload, string path, long offset)
    {
        try
        {
            return JournalCodec.Decode(payload.Span);
        }
        catch (Exception error) when (error is InvalidDataException or ArgumentException or StemeException)
        {
            throw Corrupt(path, offset, $"the frame does not decode ({error.Message})");
        }
    }

    private static StemeException Corrupt(string path, long offset, string? problem) =>
        new(StemeErrorCode.StorageFailure,
            $"The journal segment '{path}' is damaged at offset {offset} ({problem}): reopen the database: recovery checks the journal and says what to do.");
}
