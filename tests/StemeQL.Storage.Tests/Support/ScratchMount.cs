using System.Diagnostics;

namespace StemeQL.Storage.Tests.Support;

/// <summary>
/// A small tmpfs mounted at a fresh temporary folder (only root can mount): a real file system that
/// fills up, or that can be made read-only, for the storage error tests. Unmounted and removed on dispose.
/// </summary>
internal sealed class ScratchMount : IDisposable
{
    private ScratchMount(string path) => Path = path;

    public string Path { get; }

    /// <summary>Why a tmpfs cannot be mounted here, or null when it can.</summary>
    public static readonly Lazy<string?> Unavailable = new(() =>
    {
        if (OperatingSystem.IsWindows() || Environment.UserName != "root") return "mounting a tmpfs needs root on Linux";
        try
        {
            using var probe = Mount("size=64k");
            return null;
        }
        catch (InvalidOperationException error)
        {
            return error.Message;
        }
    });

    /// <summary>Mounts a tmpfs with the given options (for example <c>size=2m</c>).</summary>
    public static ScratchMount Mount(string options) =>
        MountAt(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "stemeql-mount-" + Guid.NewGuid().ToString("N")), options);

    /// <summary>Mounts a tmpfs at <paramref name="path"/> (created if missing): one folder of a store on a disk of its own.</summary>
    public static ScratchMount MountAt(string path, string options)
    {
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", path);
        return new ScratchMount(path);
    }

    /// <summary>Fills the file system with one file, until it is full (ENOSPC); returns its path. <see cref="Free"/> frees the space.</summary>
    public string Fill()
    {
        string ballast = System.IO.Path.Combine(Path, "ballast-" + Guid.NewGuid().ToString("N"));
        var chunk = new byte[4096];
        using var file = new FileStream(ballast, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true) file.Write(chunk);
        }
        catch (IOException)
        {
            // Full: what is written stays; a partial last block is fine.
        }
        return ballast;
    }

    /// <summary>
    /// Deletes the ballast <see cref="Fill"/> wrote and waits until the file system shows its space free.
    /// The space comes back only when the last descriptor of the file closes, and a process another test
    /// starts while the ballast is open holds a copy of it until that process execs (on a loaded machine,
    /// tens of milliseconds later); a test that opened the store at once could still find the disk full.
    /// </summary>
    public void Free(string ballast)
    {
        long size = new FileInfo(ballast).Length;
        File.Delete(ballast);
        var drive = new DriveInfo(Path);
        var waited = Stopwatch.StartNew();
        while (drive.AvailableFreeSpace < size / 2)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"{size} bytes deleted from '{Path}' were still not free after 30 s: some process still holds the file open.");
            }
            Thread.Sleep(10);
        }
    }

    /// <summary>Remounts it read-only.</summary>
    public void MakeReadOnly() => Run("mount", "-o", "remount,ro", Path);

    public void Dispose()
    {
        try
        {
            Run("umount", "-l", Path);
            Directory.Delete(Path);
        }
        catch (Exception error) when (error is InvalidOperationException or IOException)
        {
            // A folder left behind in the temp directory is harmless.
        }
    }

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {error.Trim()}");
    }
}

/// <summary>A fact that runs only where a tmpfs can be mounted, and says why it is skipped elsewhere.</summary>
internal sealed class MountFactAttribute : FactAttribute
{
    public MountFactAttribute()
    {
        if (ScratchMount.Unavailable.Value is { } reason) Skip = reason;
    }
}
