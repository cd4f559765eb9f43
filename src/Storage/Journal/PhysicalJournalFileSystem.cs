using System.Runtime.InteropServices;

namespace StemeQL.Storage.Journal;

/// <summary>The real disk.</summary>
internal sealed class PhysicalJournalFileSystem : IJournalFileSystem
{
    public static readonly PhysicalJournalFileSystem Instance = new();

    private PhysicalJournalFileSystem()
    {
    }

    public void CreateDirectory(string directory) => Directory.CreateDirectory(directory);

    public IReadOnlyList<string> ListSegments(string directory)
    {
        if (!Directory.Exists(directory)) return [];
        var names = new List<string>();
        foreach (var path in Directory.EnumerateFiles(directory, "*" + JournalFormat.SegmentExtension))
        {
            var name = Path.GetFileName(path);
            if (JournalFormat.TryParseSegmentName(name, out _)) names.Add(name);
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    // FileShare.Delete lets segments be recycled while a reader still has them open (Windows);
    // bufferSize 0: the writer already hands over large, coalesced writes.
    public IJournalFile Create(string path) =>
        new PhysicalJournalFile(new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, bufferSize: 0));

    public IJournalFile Open(string path) =>
        new PhysicalJournalFile(new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, bufferSize: 0));

    public IJournalFile OpenRead(string path) =>
        new PhysicalJournalFile(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0));

    public void Delete(string path) => File.Delete(path);

    public void MoveDirectory(string source, string destination) => Directory.Move(source, destination);

    public void SyncDirectory(string directory)
    {
        // Windows and macOS make the entry durable with the file (or offer no directory fsync); on
        // Linux a new file's name is only durable once its directory is fsynced.
        if (!OperatingSystem.IsLinux()) return;
        int fd = NativeMethods.open(directory, NativeMethods.O_RDONLY | NativeMethods.O_CLOEXEC);
        if (fd < 0) throw NativeMethods.Error($"open the directory '{directory}'");
        try
        {
            if (NativeMethods.fsync(fd) != 0) throw NativeMethods.Error($"fsync the directory '{directory}'");
        }
        finally
        {
            _ = NativeMethods.close(fd);
        }
    }

    private sealed class PhysicalJournalFile : IJournalFile
    {
        private readonly FileStream _stream;

        public PhysicalJournalFile(FileStream stream)
        {
            _stream = stream;
            if (stream.CanWrite) stream.Seek(0, SeekOrigin.End);   // appends go to the end; only Truncate moves it
        }

        public long Length => _stream.Length;

        public int Read(long offset, Span<byte> buffer) => RandomAccess.Read(_stream.SafeFileHandle, buffer, offset);

        public void Append(ReadOnlySpan<byte> data) => _stream.Write(data);

        public void Sync() => _stream.Flush(flushToDisk: true);

        public void Truncate(long length)
        {
            _stream.SetLength(length);
            _stream.Position = length;
        }

        public void Dispose() => _stream.Dispose();
    }

    private static class NativeMethods
    {
        // Same values on every Linux architecture (O_DIRECTORY is not, so it is left out: the path is ours).
        public const int O_RDONLY = 0;
        public const int O_CLOEXEC = 0x80000;

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code, which this assembly does not enable
        [DllImport("libc", SetLastError = true, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int close(int fd);
#pragma warning restore SYSLIB1054

        public static IOException Error(string what)
        {
            int errno = Marshal.GetLastPInvokeError();
            return new IOException($"Could not {what}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }
    }
}
