namespace StemeQL.Storage.Journal;

/// <summary>
/// The journal's only access to the disk: small on purpose, so tests can inject write and fsync
/// failures (or count syncs) by wrapping <see cref="PhysicalJournalFileSystem"/>.
/// </summary>
internal interface IJournalFileSystem
{
    /// <summary>Creates the directory if it does not exist.</summary>
    void CreateDirectory(string directory);

    /// <summary>The segment file names (not paths) in the directory, sorted; empty if it does not exist.</summary>
    IReadOnlyList<string> ListSegments(string directory);

    /// <summary>Creates a new, empty file for reading and writing; fails if it exists.</summary>
    IJournalFile Create(string path);

    /// <summary>Opens an existing file for reading and writing (appends go to its end).</summary>
    IJournalFile Open(string path);

    /// <summary>Opens an existing file for reading only, while a writer may hold it open.</summary>
    IJournalFile OpenRead(string path);

    /// <summary>Deletes a file.</summary>
    void Delete(string path);

    /// <summary>Renames a directory (salvage swaps a rewritten journal in); fails if the destination exists.</summary>
    void MoveDirectory(string source, string destination);

    /// <summary>Makes the directory's entries (created and deleted files) durable.</summary>
    void SyncDirectory(string directory);
}

/// <summary>An open journal file.</summary>
internal interface IJournalFile : IDisposable
{
    /// <summary>The current length in bytes.</summary>
    long Length { get; }

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes at <paramref name="offset"/>; 0 at the end.</summary>
    int Read(long offset, Span<byte> buffer);

    /// <summary>Writes all of <paramref name="data"/> at the end of the file.</summary>
    void Append(ReadOnlySpan<byte> data);

    /// <summary>Makes everything written durable (fsync).</summary>
    void Sync();

    /// <summary>Cuts the file to <paramref name="length"/> bytes; later appends go after it.</summary>
    void Truncate(long length);
}
