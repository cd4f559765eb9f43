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

    private static string Setting(string name, string script)
    {
        if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value) return value;
        if (FromEnvFile(name) is { } fromFile) return fromFile;
        throw new InvalidOperationException(
            $"{name} is not set and no server is running: start it with 'tools/test-servers/{script}.sh start' " +
            $"(./test.sh does this), then run the tests again; stop it afterwards with 'tools/test-servers/{script}.sh stop'.");
    }

    // The files are sourced by test.sh too: NAME=value or NAME='value' lines.
    private static string? FromEnvFile(string name)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var run = Path.Combine(folder.FullName, "tools", "test-servers", ".run");
            if (!Directory.Exists(run)) continue;
            foreach (var file in Directory.EnumerateFiles(run, "*.env"))
            {
                foreach (var line in File.ReadLines(file))
                {
                    int equals = line.IndexOf('=');
                    if (equals > 0 && line[..equals] == name) return line[(equals + 1)..].Trim('\'');
                }
            }
            return null;
        }
        return null;
    }
}
