using StemeQL.Core.Model;
using StemeQL.Storage.Embedded;

namespace StemeQL.Storage.Journal;

internal sealed partial class JournalWriter
{
    /// <summary>
    /// Opens the recovered journal in <paramref name="directory"/> for appending at <paramref name="nextLsn"/>:
    /// continues the newest segment when the LSNs follow on, otherwise starts a new segment at nextLsn.
    /// </summary>
    public static JournalWriter Open(IJournalFileSystem fs, string directory, long nextLsn, JournalOptions options, Action<DurableFrame> onDurable)
    {
        ArgumentNullException.ThrowIfNull(fs);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onDurable);
        ArgumentOutOfRangeException.ThrowIfLessThan(nextLsn, Lsn.First);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SegmentBytes, 1L, nameof(options));
        try
        {
            return OpenCore(fs, directory, nextLsn, options, onDurable);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A permission, a read-only file system or a full disk is named as such (with the file in the message).
            if (StorageErrors.CauseOf(error) is { } cause and not StemeErrorCode.DatabaseLocked)
                throw StorageErrors.For(cause, JournalFormat.DataFolderOf(directory), $"opening the journal for writing at '{directory}'", error);
            throw new StemeException(StemeErrorCode.StorageFailure,
                $"The journal at '{directory}' could not be opened for writing ({error.Message}): fix the disk problem (space, permissions) and reopen the database.",
                error);
        }
    }

    private static JournalWriter OpenCore(IJournalFileSystem fs, string directory, long nextLsn, JournalOptions options, Action<DurableFrame> onDurable)
    {
        fs.CreateDirectory(directory);
        var names = fs.ListSegments(directory);
        var segments = new List<Segment>(names.Count + 1);
        for (int i = 0; i < names.Count - 1; i++)
        {
            var path = Path.Combine(directory, names[i]);
            JournalFormat.TryParseSegmentName(names[i], out long first);
            using var closed = fs.OpenRead(path);
            segments.Add(new Segment(path, first, closed.Length));
        }
        if (names.Count > 0)
        {
            var path = Path.Combine(directory, names[^1]);
            JournalFormat.TryParseSegmentName(names[^1], out long first);
            var file = fs.Open(path);
            try
            {
                var scanner = new SegmentScanner(file);
                var status = scanner.ReadHeader(path, first);
                while (status == ScanStatus.Ok) status = scanner.Next(validateOps: false, out _, out _, out _);
                if (status != ScanStatus.End)
                {
                    throw new InvalidOperationException(
                        $"The journal segment '{path}' has an invalid tail at offset {scanner.Offset} ({scanner.Problem}): call JournalRecovery.Recover before opening the writer.");
                }
                long last = scanner.NextLsn - 1;
                bool hasFrames = last >= first;
                // Space allocated ahead and never written (the process stopped without closing it).
                if (scanner.Offset < file.Length) file.Truncate(scanner.Offset);
                if (nextLsn <= last)
                    throw new InvalidOperationException($"The journal already holds LSN {last}, so the next LSN must be above it, not {nextLsn}.");
                segments.Add(new Segment(path, first, file.Length));
                if (nextLsn == last + 1 && (!hasFrames || file.Length < options.SegmentBytes))
                    return new JournalWriter(fs, directory, options, onDurable, segments, file, hasFrames, nextLsn);
                bool discontinuous = nextLsn != last + 1;
                var active = CreateSegment(fs, directory, nextLsn, discontinuous, options.Fsync);
                if (scanner.SealedNext is null) Seal(file, nextLsn, options.Fsync);
                segments[^1].Length = file.Length;
                file.Dispose();
                segments.Add(new Segment(Path.Combine(directory, JournalFormat.SegmentName(nextLsn)), nextLsn, JournalFormat.HeaderSize));
                return new JournalWriter(fs, directory, options, onDurable, segments, active, activeHasFrames: false, nextLsn);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }
        var fresh = CreateSegment(fs, directory, nextLsn, discontinuous: false, options.Fsync);
        segments.Add(new Segment(Path.Combine(directory, JournalFormat.SegmentName(nextLsn)), nextLsn, JournalFormat.HeaderSize));
        return new JournalWriter(fs, directory, options, onDurable, segments, fresh, activeHasFrames: false, nextLsn);
    }

    /// <summary>
    /// Ends <paramref name="segment"/> with a seal naming the segment that follows, whose file must already be
    /// durable: a sealed segment with nothing after it is then proof that the newest segment was deleted.
    /// </summary>
    private static void Seal(IJournalFile segment, long nextLsn, bool fsync)
    {
        segment.Append(JournalFormat.SealFrame(nextLsn));
        if (fsync) segment.Sync();
    }

    private static IJournalFile CreateSegment(IJournalFileSystem fs, string directory, long firstLsn, bool discontinuous, bool fsync)
    {
        var file = fs.Create(Path.Combine(directory, JournalFormat.SegmentName(firstLsn)));
        try
        {
            Span<byte> header = stackalloc byte[JournalFormat.HeaderSize];
            JournalFormat.WriteHeader(header, firstLsn, discontinuous);
            file.Append(header);
            if (fsync)
            {
                file.Sync();
                fs.SyncDirectory(directory);
            }
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
