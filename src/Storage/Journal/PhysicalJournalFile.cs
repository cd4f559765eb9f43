namespace StemeQL.Storage.Journal;

/// <summary>
/// A journal segment on the real disk. A writable one on Linux allocates its space ahead of the
/// appends, in steps of <see cref="ReserveStep"/>, so a frame overwrites space the file already has
/// and its fsync (fdatasync) need not also commit a new file size. How a step is reserved follows the
/// size of the commits (see <see cref="ZeroFill"/>): by writing zeros while commits are a few blocks
/// to a few hundred kilobytes (a DbBatch of 1,000 votes), else with <c>posix_fallocate</c>. Readers
/// therefore meet zeros after the last frame: <see cref="SegmentScanner"/> reads a zero frame header
/// followed only by zeros as the end. <see cref="Length"/> is where appends go; the zeros are cut off
/// when the file closes.
/// </summary>
internal sealed class PhysicalJournalFile : IJournalFile
{
    /// <summary>How much space is allocated ahead at a time.</summary>
    public const long ReserveStep = 1 << 20;

    // posix_fallocate leaves unwritten extents (ext4, XFS): the first write into each block must convert it,
    // and fdatasync then also writes the inode (a third device round trip beside the data and the cache
    // flush). A commit smaller than a block rarely starts a new block, so it barely pays that; one of a few
    // blocks and more pays it every time (a 60 KB append and fdatasync: 181 µs mean into fallocated space,
    // 132 µs into written zeros, the zeros' own cost included). Past a few hundred kilobytes writing every
    // byte twice costs more than the round trip saved (500 KB: 365 against 400 µs), so large commits
    // (bulk loads) keep posix_fallocate.
    private const long ZeroFillMinCommit = 4 << 10;
    private const long ZeroFillMaxCommit = 256 << 10;
    private static readonly byte[] Zeros = new byte[256 << 10];   // four writes per step

    private readonly FileStream _stream;
    private readonly bool _reserves;
    private long _end;        // where the next append goes
    private long _allocated;  // the file's size on disk, zeros from _end on
    private long _syncedEnd;  // _end at the last Sync
    private long _lastCommit; // bytes appended between the last two syncs

    public PhysicalJournalFile(FileStream stream)
    {
        _stream = stream;
        _end = _allocated = _syncedEnd = stream.Length;
        _reserves = stream.CanWrite && OperatingSystem.IsLinux();
    }

    public long Length => _stream.CanWrite ? _end : _stream.Length;

    public int Read(long offset, Span<byte> buffer) => RandomAccess.Read(_stream.SafeFileHandle, buffer, offset);

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_reserves && _end + data.Length > _allocated) Reserve(_end + data.Length);
        RandomAccess.Write(_stream.SafeFileHandle, data, _end);
        _end += data.Length;
        if (_end > _allocated) _allocated = _end;
    }

    public void Sync()
    {
        if (OperatingSystem.IsLinux()) JournalNative.DataSync(_stream.SafeFileHandle, _stream.Name);
        else _stream.Flush(flushToDisk: true);
        (_lastCommit, _syncedEnd) = (_end - _syncedEnd, _end);
    }

    /// <summary>True when the next step is reserved by writing zeros: the last commit was a few blocks to a few hundred kilobytes.</summary>
    internal bool ZeroFill => _lastCommit is >= ZeroFillMinCommit and <= ZeroFillMaxCommit;

    public void Truncate(long length)
    {
        _stream.SetLength(length);
        _end = _allocated = _syncedEnd = length;
    }

    public void Dispose()
    {
        try
        {
            // A closed segment keeps no zeros after its last frame (only the open one has them).
            if (_stream.CanWrite && _allocated > _end) _stream.SetLength(_end);
        }
        catch (IOException)
        {
            // The zeros stay; readers take them for the end of the segment.
        }
        finally
        {
            _stream.Dispose();
        }
    }

    // Allocates at least up to `needed`, one step past it. A file system that is full or cannot
    // allocate keeps the file as it was, and appends grow it as before (a full disk then fails the write).
    private void Reserve(long needed)
    {
        long target = (needed / ReserveStep + 1) * ReserveStep;
        if (ZeroFill && WriteZeros(target)) return;
        if (JournalNative.Allocate(_stream.SafeFileHandle, target))
        {
            _allocated = target;
            return;
        }
        // posix_fallocate may have allocated part of it before failing: keep only what was there.
        if (_stream.Length != _allocated) _stream.SetLength(_allocated);
    }

    // Not synced here: the next commit's fdatasync writes these pages and the new size with its own frame.
    private bool WriteZeros(long target)
    {
        try
        {
            for (long at = _allocated; at < target; at += Zeros.Length)
                RandomAccess.Write(_stream.SafeFileHandle, Zeros.AsSpan(0, (int)Math.Min(Zeros.Length, target - at)), at);
            _allocated = target;
            return true;
        }
        catch (IOException)
        {
            // Full: keep only what was there, as a failed posix_fallocate does.
            if (_stream.Length != _allocated) _stream.SetLength(_allocated);
            return false;
        }
    }
}
