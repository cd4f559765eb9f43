using StemeQL.Core.Model;

namespace StemeQL.Storage.Journal;

/// <summary>
/// Appends batches to the journal with group commit: callers encode their frame and enqueue it; one
/// flusher thread takes everything queued, writes it (small frames coalesced into one write), fsyncs
/// once, then reports each batch durable in LSN order. Any write, sync or create error is fail-stop:
/// nothing is written afterwards and every pending or later append faults.
/// </summary>
internal sealed partial class JournalWriter : IDisposable
{
    private readonly IJournalFileSystem _fs;
    private readonly string _directory;
    private readonly JournalOptions _options;
    private readonly Action<JournalBatch> _onDurable;
    private readonly Thread _flusher;

    private readonly object _gate = new();   // Monitor.Wait/Pulse: a System.Threading.Lock cannot be waited on
    private List<Pending> _queue = [];
    private long _nextLsn;
    private bool _disposed;
    private bool _flusherWaiting;
    private volatile StemeException? _failure;
    private long _durableLsn;
    private long _pendingBytes;

    // Oldest first; the last one is the active segment. Guarded by _segmentsGate (ReleaseThrough and
    // the size properties run on other threads than the flusher).
    private readonly Lock _segmentsGate = new();
    private readonly List<Segment> _segments;

    private JournalWriter(IJournalFileSystem fs, string directory, JournalOptions options, Action<JournalBatch> onDurable,
        List<Segment> segments, IJournalFile active, bool activeHasFrames, long nextLsn)
    {
        (_fs, _directory, _options, _onDurable, _segments) = (fs, directory, options, onDurable, segments);
        _active = active;
        _activeLength = segments[^1].Length;
        _activeHasFrames = activeHasFrames;
        _nextLsn = nextLsn;
        _durableLsn = nextLsn - 1;
        _flusher = new Thread(Run) { IsBackground = true, Name = "StemeQL journal flusher" };
        _flusher.Start();
    }

    /// <summary>The highest LSN known durable (everything before the next LSN given to Open counts).</summary>
    public long DurableLsn => Volatile.Read(ref _durableLsn);

    /// <summary>Why the journal stopped, or null while it works.</summary>
    public Exception? Failure => _failure;

    /// <summary>Bytes appended but not yet durable (for callers that want to apply back-pressure).</summary>
    public long PendingBytes => Interlocked.Read(ref _pendingBytes);

    public int SegmentCount
    {
        get
        {
            lock (_segmentsGate) return _segments.Count;
        }
    }

    public long SizeBytes
    {
        get
        {
            lock (_segmentsGate) return _segments.Sum(s => s.Length);
        }
    }

    /// <summary>
    /// Opens the recovered journal in <paramref name="directory"/> for appending at <paramref name="nextLsn"/>:
    /// continues the newest segment when the LSNs follow on, otherwise starts a new segment at nextLsn.
    /// </summary>
    public static JournalWriter Open(IJournalFileSystem fs, string directory, long nextLsn, JournalOptions options, Action<JournalBatch> onDurable)
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
            throw new StemeException(StemeErrorCode.StorageFailure,
                $"The journal at '{directory}' could not be opened for writing ({error.Message}): fix the disk problem (space, permissions) and reopen the database.",
                error);
        }
    }

    private static JournalWriter OpenCore(IJournalFileSystem fs, string directory, long nextLsn, JournalOptions options, Action<JournalBatch> onDurable)
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
                if (nextLsn <= last)
                    throw new InvalidOperationException($"The journal already holds LSN {last}, so the next LSN must be above it, not {nextLsn}.");
                segments.Add(new Segment(path, first, file.Length));
                if (nextLsn == last + 1 && (!hasFrames || file.Length < options.SegmentBytes))
                    return new JournalWriter(fs, directory, options, onDurable, segments, file, hasFrames, nextLsn);
                file.Dispose();
                bool discontinuous = nextLsn != last + 1;
                var active = CreateSegment(fs, directory, nextLsn, discontinuous, options.Fsync);
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
    /// Encodes <paramref name="batch"/> on this thread and queues it; the task completes once it is
    /// durable, or faults with a StorageFailure <see cref="StemeException"/> if the journal failed.
    /// Callers append in LSN order: FirstLsn must be the next LSN.
    /// </summary>
    public Task Append(JournalBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is not null) return Task.FromException(NewFailure());
        var (frame, length) = JournalCodec.EncodeFrame(batch);
        var pending = new Pending(batch, frame, length, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_gate)
        {
            string? misuse = _disposed ? "disposed" : batch.FirstLsn != _nextLsn ? $"Append expected a batch starting at LSN {_nextLsn}, not {batch.FirstLsn}." : null;
            if (misuse is not null || _failure is not null)
            {
                FrameBuffer.Return(frame);
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (misuse is not null) throw new InvalidOperationException(misuse);
                return Task.FromException(NewFailure());
            }
            _nextLsn = batch.LastLsn + 1;
            _queue.Add(pending);
            Interlocked.Add(ref _pendingBytes, length);
            if (_flusherWaiting) Monitor.Pulse(_gate);
        }
        return pending.Done.Task;
    }

    /// <summary>
    /// Deletes closed segments whose LSNs are all at most <paramref name="lsn"/>, oldest first (the
    /// journal stays a contiguous suffix of the log); never the active segment.
    /// </summary>
    public void ReleaseThrough(long lsn)
    {
        lock (_segmentsGate)
        {
            // A closed segment's LSNs end before the next segment's first LSN.
            while (_segments.Count > 1 && _segments[1].FirstLsn - 1 <= lsn)
            {
                var path = _segments[0].Path;
                try
                {
                    _fs.Delete(path);
                    // One directory sync per deletion keeps deletions in order across a crash: a gap
                    // left by an out-of-order deletion would look like corruption to recovery.
                    if (_options.Fsync) _fs.SyncDirectory(_directory);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    throw new StemeException(StemeErrorCode.StorageFailure,
                        $"The applied journal segment '{path}' could not be deleted ({error.Message}): fix the disk problem; the data is safe.", error);
                }
                _segments.RemoveAt(0);
            }
        }
    }

    /// <summary>Stops accepting appends, writes and completes everything queued, and stops the flusher.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            Monitor.Pulse(_gate);
        }
        // Disposing from onDurable (on the flusher itself) must not wait for itself.
        if (Thread.CurrentThread != _flusher) _flusher.Join();
    }

    private StemeException NewFailure()
    {
        // A fresh exception per task: one instance rethrown on many threads would share its stack trace.
        var failure = _failure!;
        return new StemeException(failure.ErrorCode, failure.Message, failure.InnerException);
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

    private sealed class Segment(string path, long firstLsn, long length)
    {
        public string Path { get; } = path;
        public long FirstLsn { get; } = firstLsn;
        public long Length { get; set; } = length;
    }

    private sealed record Pending(JournalBatch Batch, byte[] Frame, int Length, TaskCompletionSource Done);
}
