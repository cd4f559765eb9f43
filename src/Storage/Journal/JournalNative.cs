using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace StemeQL.Storage.Journal;

/// <summary>The few POSIX calls .NET does not offer: directory fsync, fdatasync and posix_fallocate (Linux only).</summary>
internal static class JournalNative
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

    [DllImport("libc", SetLastError = true, ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int fdatasync(int fd);

    // Returns the error number itself (0 on success) rather than setting errno.
    [DllImport("libc", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int posix_fallocate(int fd, long offset, long length);
#pragma warning restore SYSLIB1054

    public static IOException Error(string what)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new IOException($"Could not {what}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
    }

    /// <summary>fdatasync: the file's data and the metadata needed to read it, without timestamps.</summary>
    public static void DataSync(SafeFileHandle handle, string path)
    {
        if (WithDescriptor(handle, fd => fdatasync(fd) == 0 ? 0 : Marshal.GetLastPInvokeError()) is not 0 and int errno)
            throw new IOException($"Could not fdatasync the journal segment '{path}': {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
    }

    /// <summary>Allocates (zero-filled) space so the file is <paramref name="length"/> bytes long; false when the file system cannot (full, or no support).</summary>
    public static bool Allocate(SafeFileHandle handle, long length) =>
        WithDescriptor(handle, fd => posix_fallocate(fd, 0, length)) == 0;

    private static int WithDescriptor(SafeFileHandle handle, Func<int, int> call)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return call((int)handle.DangerousGetHandle());
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }
}
