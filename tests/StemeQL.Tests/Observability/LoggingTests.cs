using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StemeQL.Tests.Support;
using StemeQL.TestSupport;

namespace StemeQL.Tests.Observability;

/// <summary>The provider's structured log events, as a logger factory given to the connection receives them.</summary>
public sealed class LoggingTests : IDisposable
{
    private readonly TempFolderDatabase _database = new();
    private readonly RecordingLoggerFactory _logs = new();

    private StemeConnection Open(string extra = "")
    {
        var connection = new StemeConnection(_database.ConnectionString("alice") + extra) { LoggerFactory = _logs };
        connection.Open();
        return connection;
    }

    [Fact]
    public void A_command_slower_than_the_threshold_is_logged_as_a_slow_query()
    {
        using var connection = Open(";Slow Query Threshold=20");
        ReadSlowly(connection, "SELECT subject FROM assertions", TimeSpan.FromMilliseconds(60));

        var entry = Assert.Single(_logs.With(StemeLogEvents.SlowQuery));
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal("StemeQL.Command", entry.Category);
        Assert.Equal("SELECT subject FROM assertions", entry.Values["CommandText"]);
        Assert.InRange((long)entry.Values["ElapsedMilliseconds"]!, 20, 60_000);
        Assert.Equal(20, entry.Values["ThresholdMilliseconds"]);
    }

    [Fact]
    public void A_threshold_of_zero_logs_no_slow_query()
    {
        using var connection = Open(";Slow Query Threshold=0");
        ReadSlowly(connection, "SELECT subject FROM assertions", TimeSpan.FromMilliseconds(30));
        Assert.Empty(_logs.With(StemeLogEvents.SlowQuery));
    }

    [Fact]
    public void A_command_faster_than_the_threshold_is_not_logged()
    {
        using var connection = Open(";Slow Query Threshold=60000");
        ReadSlowly(connection, "SELECT subject FROM assertions", TimeSpan.Zero);
        Assert.Empty(_logs.With(StemeLogEvents.SlowQuery));
    }

    [Fact]
    public void A_syntax_error_is_logged_as_a_failed_command_with_its_error_code()
    {
        using var connection = Open();
        using var command = new StemeCommand("SELEKT subject FROM assertions", connection);
        var error = Assert.Throws<StemeException>(() => command.ExecuteReader());

        var entry = Assert.Single(_logs.With(StemeLogEvents.CommandFailed));
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal(error.ErrorCode.ToString(), entry.Values["ErrorCode"]);
        Assert.Equal("SELEKT subject FROM assertions", entry.Values["CommandText"]);
        Assert.Same(error, entry.Exception);
    }

    [Fact]
    public void A_write_failure_is_logged_as_a_failed_command_with_its_error_code()
    {
        using var connection = Open();
        using var command = new StemeCommand("VOTE @h", connection);
        command.Parameters.AddWithValue("h", new string('a', 64));
        Assert.Throws<StemeException>(() => command.ExecuteNonQuery());

        var entry = Assert.Single(_logs.With(StemeLogEvents.CommandFailed));
        Assert.Equal(nameof(StemeErrorCode.UnknownAssertion), entry.Values["ErrorCode"]);
        Assert.Equal("VOTE", entry.Values["Operation"]);
    }

    [Fact]
    public void Opening_and_closing_the_only_connection_logs_the_store_opened_and_closed()
    {
        Open().Dispose();
        var opened = Assert.Single(_logs.With(StemeLogEvents.StoreOpened));
        Assert.Equal("StemeQL.Connection", opened.Category);
        Assert.Equal(_database.Folder, opened.Values["DataSource"]);
        Assert.Single(_logs.With(StemeLogEvents.StoreClosed));
    }

    [Fact]
    public void A_second_connection_on_an_open_store_logs_no_second_opening()
    {
        using var first = Open();
        Open().Dispose();
        Assert.Single(_logs.With(StemeLogEvents.StoreOpened));
        Assert.Empty(_logs.With(StemeLogEvents.StoreClosed));
    }

    [Fact]
    public void Opening_a_store_whose_journal_has_a_torn_tail_logs_the_recovery()
    {
        using (var connection = Open())
        using (var write = new StemeCommand("ASSERT ('paris', 'capital_of', 'france')", connection)) write.ExecuteNonQuery();
        string newest = Directory.GetFiles(Path.Combine(_database.Folder, "journal")).Order(StringComparer.Ordinal).Last();
        // Bytes that are no frame (zeros would read as space the journal allocated ahead, not as a tear).
        using (var stream = new FileStream(newest, FileMode.Append)) stream.Write(Enumerable.Repeat((byte)7, 100).ToArray());

        using var reopened = Open();
        var entry = Assert.Single(_logs.With(StemeLogEvents.JournalRecovered));
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("torn tail", (string)entry.Values["Recovered"]!);
    }

    [Fact]
    public void Opening_a_store_of_an_older_schema_logs_the_upgrade_before_it_starts_and_after_it_commits()
    {
        using (var connection = Open())
        using (var write = new StemeCommand("ASSERT ('paris', 'capital_of', 'france')", connection)) write.ExecuteNonQuery();
        // Back to schema version 5, where the lens states had a table of their own.
        using (var file = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_database.Folder, "store.db")};Pooling=False"))
        {
            file.Open();
            using var downgrade = file.CreateCommand();
            downgrade.CommandText = SchemaDowngrades.ToVersion5;
            downgrade.ExecuteNonQuery();
        }

        using var reopened = Open();

        var entries = _logs.Entries.Where(e => e.EventId.Id is StemeLogEvents.SchemaUpgrading or StemeLogEvents.SchemaUpgraded).ToList();
        Assert.Equal([StemeLogEvents.SchemaUpgrading, StemeLogEvents.SchemaUpgraded], entries.Select(e => e.EventId.Id));
        Assert.All(entries, e => Assert.Equal((_database.Folder, 5L, (long)StemeQL.Storage.Embedded.Schema.Version, LogLevel.Information, "StemeQL.Connection"),
            (e.Values["Where"], e.Values["FromVersion"], e.Values["ToVersion"], e.Level, e.Category)));
        Assert.InRange((long)entries[1].Values["ElapsedMilliseconds"]!, 0, 600_000);
        using var read = new StemeCommand("SELECT object FROM assertions USING LENS consensus WHERE subject = 'paris'", reopened);
        Assert.Equal("france", read.ExecuteScalar());
    }

    [Fact]
    public void The_process_wide_logger_factory_serves_connections_without_their_own()
    {
        StemeLoggingConfiguration.InitializeLogging(_logs);
        try
        {
            _database.Open().Dispose();
        }
        finally
        {
            StemeLoggingConfiguration.InitializeLogging(NullLoggerFactory.Instance);
        }
        Assert.Contains(_logs.With(StemeLogEvents.StoreOpened), e => Equals(e.Values["DataSource"], _database.Folder));
    }

    private static void ReadSlowly(StemeConnection connection, string sql, TimeSpan pause)
    {
        using var command = new StemeCommand(sql, connection);
        using var reader = command.ExecuteReader();
        while (reader.Read()) { }
        Thread.Sleep(pause);
    }

    public void Dispose() => _database.Dispose();
}
