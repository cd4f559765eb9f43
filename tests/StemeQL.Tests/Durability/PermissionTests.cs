using StemeQL.Tests.Support;

namespace StemeQL.Tests.Durability;

/// <summary>A folder this user may not write is PermissionDenied, not a lock and not a generic failure.</summary>
[Collection(DurabilityCollection.Name)]
public sealed class PermissionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static bool IsRoot => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    [Fact]
    public void Opening_a_folder_this_user_may_not_write_is_PermissionDenied_and_not_transient()
    {
        if (OperatingSystem.IsWindows()) return; // Unix permissions; Windows ACLs are not set up here.
        using var database = new TempFolderDatabase();
        using (var connection = database.Open()) new StemeCommand("ASSERT ('a', 'p', 'o')", connection).ExecuteNonQuery();
        string fresh = Path.Combine(database.Folder, "fresh");
        if (IsRoot)
        {
            // Root ignores permissions: try as nobody, for whom the root-owned folder is read-only.
            foreach (var folder in new[] { database.Folder, fresh })
            {
                using var probe = ChildProcess.StartAsNobody("probe", folder);
                Assert.True(probe.WaitForExit(Patience) == 0, probe.StandardError);
                string line = Assert.Single(probe.Lines);
                Assert.StartsWith("LOCKED PermissionDenied ", line, StringComparison.Ordinal);
                Assert.Contains("give that user read and write access", line, StringComparison.Ordinal);
            }
            return;
        }
        File.SetUnixFileMode(database.Folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            foreach (var folder in new[] { database.Folder, fresh })
            {
                using var connection = new StemeConnection(database.ConnectionString().Replace(database.Folder, folder, StringComparison.Ordinal));
                var error = Assert.Throws<StemeException>(connection.Open);
                Assert.Equal(StemeErrorCode.PermissionDenied, error.ErrorCode);
                Assert.False(error.IsTransient);
            }
        }
        finally
        {
            File.SetUnixFileMode(database.Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
