using System.Runtime.Versioning;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.Durability;

/// <summary>
/// A file inside a usable data folder that this user may not read or write (store.db, a journal
/// segment, the object folder) is PermissionDenied naming that file, not a generic StorageFailure.
/// Another user typically made these files (root ran the program once); so each check runs the crash
/// writer as a child process, as nobody when the tests run as root, which ignores file modes.
/// </summary>
[Collection(DurabilityCollection.Name)]
[UnsupportedOSPlatform("windows")] // UnixPermissionFact skips every test there
public sealed class FilePermissionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static bool IsRoot => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    private const UnixFileMode Everyone = (UnixFileMode)0b110_110_110, EveryoneDirectory = (UnixFileMode)0b111_111_111;
    private const UnixFileMode ReadableOnly = (UnixFileMode)0b100_100_100, ReadableDirectory = (UnixFileMode)0b101_101_101;

    [UnixPermissionFact]
    public void A_store_db_this_user_may_not_write_is_PermissionDenied_and_Read_Only_opens_it()
    {
        using var database = Seeded();
        File.SetUnixFileMode(Path.Combine(database.Folder, "store.db"), ReadableOnly);

        string refused = Run("probe", database.Folder);
        Assert.StartsWith("LOCKED PermissionDenied ", refused, StringComparison.Ordinal);
        Assert.Contains("store.db", refused, StringComparison.Ordinal);
        Assert.Contains("Read Only=True", refused, StringComparison.Ordinal);
        // The advice holds: a read-only open needs only to read store.db.
        Assert.Equal("OPENED", Run("read-probe", database.Folder));
    }

    [UnixPermissionFact]
    public void A_journal_segment_this_user_may_not_write_is_PermissionDenied()
    {
        using var database = Seeded();
        string segment = Directory.GetFiles(Path.Combine(database.Folder, "journal"), "*.wal").Order(StringComparer.Ordinal).Last();
        File.SetUnixFileMode(segment, ReadableOnly);

        string refused = Run("probe", database.Folder);
        Assert.StartsWith("LOCKED PermissionDenied ", refused, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(segment), refused, StringComparison.Ordinal);
    }

    [UnixPermissionFact]
    public void A_read_only_open_of_a_store_db_this_user_may_not_read_is_PermissionDenied()
    {
        using var database = Seeded();
        File.SetUnixFileMode(Path.Combine(database.Folder, "store.db"), UnixFileMode.None);

        string refused = Run("read-probe", database.Folder);
        Assert.StartsWith("LOCKED PermissionDenied ", refused, StringComparison.Ordinal);
        Assert.Contains("may not read", refused, StringComparison.Ordinal);
        Assert.Contains("store.db", refused, StringComparison.Ordinal);
    }

    [UnixPermissionFact]
    public void A_large_value_in_an_object_folder_this_user_may_not_write_is_PermissionDenied()
    {
        using var database = Seeded();
        foreach (string folder in Directory.GetDirectories(Path.Combine(database.Folder, "objects"), "*", SearchOption.AllDirectories).Append(Path.Combine(database.Folder, "objects")))
            File.SetUnixFileMode(folder, ReadableDirectory);

        string refused = Run("put-object", database.Folder);
        Assert.StartsWith("LOCKED PermissionDenied ", refused, StringComparison.Ordinal);
        Assert.Contains("objects", refused, StringComparison.Ordinal);
    }

    [UnixPermissionFact]
    public void With_every_file_usable_the_same_folder_opens()
    {
        using var database = Seeded();
        Assert.Equal("OPENED", Run("probe", database.Folder));
        Assert.Equal("STORED", Run("put-object", database.Folder));
    }

    // A closed store with an assertion, a journal segment and an object, every file usable by everyone;
    // each test then takes one permission away.
    private static TempFolderDatabase Seeded()
    {
        var database = new TempFolderDatabase();
        using (var connection = database.Open())
        {
            using var command = new StemeCommand("ASSERT ('a', 'p', 'o'), ('big', 'payload', @v)", connection);
            command.Parameters.AddWithValue("v", new byte[128 * 1024]);
            command.ExecuteNonQuery();
        }
        File.SetUnixFileMode(database.Folder, EveryoneDirectory);
        foreach (string folder in Directory.GetDirectories(database.Folder, "*", SearchOption.AllDirectories))
            File.SetUnixFileMode(folder, EveryoneDirectory);
        foreach (string file in Directory.GetFiles(database.Folder, "*", SearchOption.AllDirectories))
            File.SetUnixFileMode(file, Everyone);
        return database;
    }

    // The crash writer's one line: as nobody when this is root (the files stay root's), else as this user.
    private static string Run(string mode, string folder)
    {
        using var child = IsRoot ? ChildProcess.StartAsNobody(mode, folder) : ChildProcess.Start(mode, folder);
        Assert.True(child.WaitForExit(Patience) == 0, child.Describe());
        return Assert.Single(child.Lines);
    }
}

/// <summary>A fact that needs Unix file modes to bind the user running the open, and says why it is skipped elsewhere.</summary>
internal sealed class UnixPermissionFactAttribute : FactAttribute
{
    public UnixPermissionFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "Unix file modes; Windows ACLs are not set up here";
        else if (Environment.UserName == "root" && !File.Exists("/usr/bin/setpriv") && !File.Exists("/bin/setpriv"))
            Skip = "root ignores file modes, and setpriv (util-linux) is not installed to run the open as nobody";
    }
}
