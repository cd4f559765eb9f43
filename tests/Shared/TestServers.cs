namespace StemeQL.TestSupport;

/// <summary>
/// The loopback servers some tests need (tools/test-servers/*.sh start them): their settings come from
/// the environment (test.sh exports them), or else from the .run/*.env files the scripts write, so a
/// single test project can be run by hand after <c>tools/test-servers/s3rver.sh start</c>. A test that
/// needs a server that is not running fails and says how to start it; it is never skipped silently.
/// </summary>
internal static class TestServers
{
    /// <summary>The s3rver endpoint, e.g. <c>http://127.0.0.1:4568</c>.</summary>
    public static string S3Url => Setting("STEMEQL_TEST_S3_URL", "s3rver");

    /// <summary>A bucket that exists on <see cref="S3Url"/>.</summary>
    public static string S3Bucket => Setting("STEMEQL_TEST_S3_BUCKET", "s3rver");

    /// <summary>An Npgsql connection string for the throw-away PostgreSQL cluster.</summary>
    public static string Postgres => Setting("STEMEQL_TEST_PG", "postgres");

    /// <summary>
    /// The primary of the shared primary + synchronous standby pair (tools/test-servers/postgres-pair.sh).
    /// Tests that kill, promote or stop a server start a pair of their own instead (<see cref="PrivatePostgresPair"/>).
    /// </summary>
    public static string PostgresPrimary => Setting("STEMEQL_TEST_PG_PRIMARY", "postgres-pair");

    /// <summary>The shared pair's synchronous standby (read-only while the primary lives).</summary>
    public static string PostgresStandby => Setting("STEMEQL_TEST_PG_STANDBY", "postgres-pair");

    /// <summary>Both servers of the shared pair, <c>Target Session Attributes=read-write</c>: whichever is primary.</summary>
    public static string PostgresMultiHost => Setting("STEMEQL_TEST_PG_MULTIHOST", "postgres-pair");

    /// <summary>Both servers of the shared pair, <c>Target Session Attributes=prefer-standby</c>: reads on the standby.</summary>
    public static string PostgresMultiHostRead => Setting("STEMEQL_TEST_PG_MULTIHOST_READ", "postgres-pair");

    private static string Setting(string name, string script)
    {
        if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value) return value;
        if (FromEnvFile(name) is { } fromFile) return fromFile;
        throw new InvalidOperationException(
            $"{name} is not set and no server is running: start it with 'tools/test-servers/{script}.sh start' " +
            $"(./test.sh does this), then run the tests again; stop it afterwards with 'tools/test-servers/{script}.sh stop'.");
    }

    private static string? FromEnvFile(string name)
    {
        if (TestServerFolder.Find() is not { } folder) return null;
        var run = Path.Combine(folder, ".run");
        if (!Directory.Exists(run)) return null;
        return Directory.EnumerateFiles(run, "*.env").Select(file => EnvFile.Find(file, name)).FirstOrDefault(value => value is not null);
    }
}
