namespace StemeQL.CrashWriter;

/// <summary>
/// The modes the permission tests run as another user: each prints OPENED (or STORED) when it works, or
/// LOCKED with the error code and message when it is refused.
/// </summary>
internal static class PermissionModes
{
    /// <summary><c>read-probe &lt;folder&gt;</c>: opens Read Only=True and reads the status.</summary>
    public static int ReadProbe(string folder) => Attempt(() =>
    {
        using var connection = new StemeConnection(new StemeConnectionStringBuilder { DataSource = folder, Agent = "probe", ReadOnly = true }.ConnectionString);
        connection.Open();
        using var command = new StemeCommand("SELECT count(*) FROM assertions", connection);
        command.ExecuteScalar();
        return "OPENED";
    });

    /// <summary><c>put-object &lt;folder&gt;</c>: opens for writing and asserts a bytes value large enough to go to the object folder.</summary>
    public static int PutObject(string folder) => Attempt(() =>
    {
        using var connection = new StemeConnection(new StemeConnectionStringBuilder { DataSource = folder, Agent = "probe" }.ConnectionString);
        connection.Open();
        using var command = new StemeCommand("ASSERT ('big', 'payload', @v)", connection);
        var value = new byte[256 * 1024];
        Random.Shared.NextBytes(value);
        command.Parameters.AddWithValue("v", value);
        command.ExecuteNonQuery();
        return "STORED";
    });

    private static int Attempt(Func<string> action)
    {
        var output = new AckOutput();
        try
        {
            output.Line(action());
        }
        catch (StemeException error)
        {
            output.Line($"LOCKED {error.ErrorCode} {error.Message.ReplaceLineEndings(" ")}");
        }
        return 0;
    }
}
