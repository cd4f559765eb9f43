using Microsoft.Data.Sqlite;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The SQLite plumbing every part of the embedded store shares: one-time native initialisation,
/// the connection strings of the writer and of readers, and the translation of SQLite errors into
/// <see cref="StemeException"/>.
/// </summary>
internal static class SqliteRuntime
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    /// <summary>
    /// How long a statement waits for a lock held by another connection before it fails with SQLITE_BUSY: SQLite's busy
    /// timeout on every connection the store opens, and Microsoft.Data.Sqlite's command timeout (its own retry loop).
    /// </summary>
    public const int LockTimeoutSeconds = 30;

    // Batteries.Init registers the bundled e_sqlite3 provider; it must run once, before any connection.
    private static readonly Lazy<bool> Initialised = new(() =>
    {
        SQLitePCL.Batteries.Init();
        // No memory statistics (nothing here reads them): with them on, every SQLite allocation takes a global
        // mutex, a few percent of the ingestor's CPU. Only possible before SQLite initialises: when another
        // user of SQLite in the process got there first, the call fails and the statistics stay on.
        _ = SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0);
        return true;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Makes sure the native SQLite library is loaded and registered.</summary>
    public static void EnsureInitialised() => _ = Initialised.Value;

    /// <summary>The writer's connection string: read-write, created when missing, never pooled (closing it really closes the file).</summary>
    public static string WriterConnectionString(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = false,
        DefaultTimeout = LockTimeoutSeconds,
    }.ToString();

    /// <summary>
    /// Readers' connection string: read-only and pooled (Microsoft.Data.Sqlite pools connections),
    /// so opening one per enumeration is cheap and readers run beside the writer under WAL.
    /// </summary>
    public static string ReaderConnectionString(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadOnly,
        Pooling = true,
        DefaultTimeout = LockTimeoutSeconds,
    }.ToString();

    /// <summary>
    /// Opens a connection and gives it SQLite's busy timeout, so a statement that finds the database
    /// locked waits for the lock (SQLite retries after 1, 2, 5, … up to 100 ms) for up to
    /// <see cref="LockTimeoutSeconds"/> before it fails.
    /// </summary>
    public static SqliteConnection Open(string connectionString)
    {
        EnsureInitialised();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            int rc = SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, LockTimeoutSeconds * 1000);
            if (rc != SQLitePCL.raw.SQLITE_OK) throw new InvalidOperationException($"sqlite3_busy_timeout failed with SQLite error {rc}.");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Turns a SQLite failure into the exception users catch, saying what to do. <paramref name="writing"/>
    /// is true when the failing connection is the writer's, false for a reader's (which only reads store.db).
    /// </summary>
    public static StemeException Translate(SqliteException error, string databasePath, string doing, bool writing)
    {
        string where = $"while {doing} in '{databasePath}'";
        if (StorageErrors.ForSqlite(error, databasePath, writing, doing) is { } named) return named;
        return error.SqliteErrorCode switch
        {
            SqliteBusy or SqliteLocked => new StemeException(StemeErrorCode.DatabaseLocked,
                $"The store is locked by another process {where}: close the other program using this data folder, or retry later. ({error.Message})", error),
            SqliteCorrupt or SqliteNotADatabase => new StemeException(StemeErrorCode.StorageFailure,
                $"The store file is corrupt or not a StemeQL store {where}: restore the data folder from a backup. ({error.Message})", error),
            _ => new StemeException(StemeErrorCode.StorageFailure,
                $"The storage layer failed {where}: {error.Message} (SQLite error {error.SqliteErrorCode}). Check the disk and the folder's permissions.", error),
        };
    }

    /// <summary>Runs one statement with no result on <paramref name="connection"/>.</summary>
    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs one statement and returns its first column of the first row (null for none or NULL).</summary>
    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }
}
