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
        int fd = JournalNative.open(directory, JournalNative.O_RDONLY | JournalNative.O_CLOEXEC);
        if (fd < 0) throw JournalNative.Error($"open the directory '{directory}'");
        try
        {
            if (JournalNative.fsync(fd) != 0) throw JournalNative.Error($"fsync the directory '{directory}'");
        }
        finally
        {
            _ = JournalNative.close(fd);
        }
    }
}
