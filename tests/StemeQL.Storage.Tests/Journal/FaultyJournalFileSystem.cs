using StemeQL.Storage.Journal;

namespace StemeQL.Storage.Tests.Journal;

/// <summary>
/// The physical file system with counters and armed failures: the Nth Append or Sync from the moment
/// a failure is armed throws an IOException, and every Append after that is recorded as a violation.
/// </summary>
internal sealed class FaultyJournalFileSystem : IJournalFileSystem
{
    private readonly IJournalFileSystem _inner = PhysicalJournalFileSystem.Instance;
    private int _appends;
    private int _syncs;
    private int _failAppendAt;   // 0: never
    private int _failSyncAt;
    private int _appendsAfterFailure;
    private volatile bool _failed;

    public int Appends => Volatile.Read(ref _appends);

    /// <summary>What a failing Append throws (a generic I/O error unless a test names a cause).</summary>
    public Func<Exception> AppendFailure { get; set; } = () => new IOException("Injected write failure.");

    public int Syncs => Volatile.Read(ref _syncs);

    public int AppendsAfterFailure => Volatile.Read(ref _appendsAfterFailure);

    /// <summary>
    /// How long each Sync takes on top of the real one. A real disk's fsync takes milliseconds; this
    /// VM's takes ~50 µs, which makes a group-commit count depend on CPU scheduling, not on the journal.
    /// </summary>
    public TimeSpan SyncDelay { get; set; }

    /// <summary>The <paramref name="n"/>th Append from now (1 = the next one) throws.</summary>
    public void FailAppend(int n = 1) => _failAppendAt = Appends + n;

    /// <summary>The <paramref name="n"/>th Sync from now throws.</summary>
    public void FailSync(int n = 1) => _failSyncAt = Syncs + n;

    public void CreateDirectory(string directory) => _inner.CreateDirectory(directory);

    public IReadOnlyList<string> ListSegments(string directory) => _inner.ListSegments(directory);

    public IJournalFile Create(string path) => new File(this, _inner.Create(path));

    public IJournalFile Open(string path) => new File(this, _inner.Open(path));

    public IJournalFile OpenRead(string path) => new File(this, _inner.OpenRead(path));

    /// <summary>Called with each file's path just before it is deleted.</summary>
    public Action<string>? BeforeDelete { get; set; }

    public void Delete(string path)
    {
        BeforeDelete?.Invoke(path);
        _inner.Delete(path);
    }

    public void MoveDirectory(string source, string destination) => _inner.MoveDirectory(source, destination);

    public void SyncDirectory(string directory) => _inner.SyncDirectory(directory);

    private sealed class File(FaultyJournalFileSystem fs, IJournalFile inner) : IJournalFile
    {
        public long Length => inner.Length;

        public int Read(long offset, Span<byte> buffer) => inner.Read(offset, buffer);

        public void Append(ReadOnlySpan<byte> data)
        {
            if (fs._failed) Interlocked.Increment(ref fs._appendsAfterFailure);
            if (Interlocked.Increment(ref fs._appends) == fs._failAppendAt)
            {
                fs._failed = true;
                throw fs.AppendFailure();
            }
            inner.Append(data);
        }

        public void Sync()
        {
            if (Interlocked.Increment(ref fs._syncs) == fs._failSyncAt)
            {
                fs._failed = true;
                throw new IOException("Injected fsync failure (Input/output error).");
            }
            if (fs.SyncDelay > TimeSpan.Zero) Thread.Sleep(fs.SyncDelay);
            inner.Sync();
        }

        public void Truncate(long length) => inner.Truncate(length);

        public void Dispose() => inner.Dispose();
    }
}
