namespace StemeQL.Storage.Journal;

/// <summary>
/// A journal segment on the real disk. A writable one on Linux allocates its space ahead of the
/// appends, in zero-filled steps of <see cref="ReserveStep"/>: a frame then overwrites space the file
/// already has, so its fsync (fdatasync) flushes the data alone, where an append that grows the file
/// must also commit the file system's journal for the new size, which costs more and waits behind
/// every other file's metadata (SQLite's WAL growing next door). Readers therefore meet zeros after
/// the last frame: <see cref="SegmentScanner"/> reads a zero frame header followed only by zeros as
/// the end. <see cref="Length"/> is where appends go; the zeros are cut off when the file closes.
/// </summary>
internal sealed class PhysicalJournalFile : IJournalFile
{
    /// <summary>How much space is allocated ahead at a time.</summary>
    public const long ReserveStep = 1 << 20;

    private readonly FileStream _stream;
    private readonly bool _reserves;
    private long _end;        // where the next append goes
    private long _allocated;  // the file's size on disk, zeros from _end on

    public PhysicalJournalFile(FileStream stream)
    {
        _stream = stream;
        _end = _allocated = stream.Length;
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
    }

    public void Truncate(long length)
    {
        _stream.SetLength(length);
        _end = _allocated = length;
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
        if (JournalNative.Allocate(_stream.SafeFileHandle, target))
        {
            _allocated = target;
            return;
        }
        // posix_fallocate may have allocated part of it before failing: keep only what was there.
        if (_stream.Length != _allocated) _stream.SetLength(_allocated);
    }
}
