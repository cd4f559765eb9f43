using Microsoft.Data.Sqlite;
using StemeQL.Storage.Abstractions;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.EndToEnd;

/// <summary>A damaged row never hides the rest; <c>stemeql_check</c> names it.</summary>
public sealed class IntegrityTests : IDisposable
{
    private readonly TempFolderDatabase _database = new();
    private readonly StemeConnection _connection;

    public IntegrityTests()
    {
        _connection = _database.Open("alice");
        Run("ASSERT ('a', 'p', 'one'); ASSERT ('b', 'p', 'two'); ASSERT ('c', 'p', 'three')");
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    private void Run(string sql)
    {
        using var command = new StemeCommand(sql, _connection);
        command.ExecuteNonQuery();
    }

    private List<object[]> Rows(string sql) => ResultRows.Values(_connection, sql);

    private string HashOf(string subject) => (string)Rows($"SELECT hash FROM assertions WHERE subject = '{subject}'")[0][0];

    private void Damage(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_database.Folder, "store.db"), Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    [Fact]
    public void Stemeql_check_has_no_rows_for_a_sound_store_and_names_its_columns()
    {
        using var command = new StemeCommand("SELECT * FROM stemeql_check", _connection);
        using var reader = command.ExecuteReader();
        Assert.Equal(["kind", "lsn", "hash", "detail"], Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
        Assert.False(reader.Read());
        Assert.Equal("IntegrityCheck", Rows("EXPLAIN SELECT * FROM stemeql_check")[0][1]);
    }

    [Fact]
    public void Stemeql_check_finds_a_sound_store_sound_when_votes_span_many_fold_chunks()
    {
        // The check folds the ledger 10,000 events at a time into TEMP tables: votes in a later chunk move values and sets
        // folded in an earlier one (with SQLite 3.35's RETURNING on those tables, the check threw instead, and the shell died).
        string[] hashes = [HashOf("a"), HashOf("b"), HashOf("c")];
        var loader = new StemeBulkLoader(_connection);
        loader.WriteVotes(Enumerable.Range(0, 25_000).Select(i => new BulkVote(hashes[i % 3], (i % 7) / 7.0)));
        Assert.Empty(Rows("SELECT * FROM stemeql_check"));
        Assert.Equal(25_000L, Rows("SELECT count(*) FROM votes")[0][0]);

        // The check reports its progress through the views chunk by chunk, in rising counts of events.
        var reports = new List<IntegrityProgress>();
        var report = _connection.Session.Store.CheckIntegrity(false, new Recorded(reports), CancellationToken.None);
        Assert.True(report.IsSound);
        var views = reports.Where(r => r.Stage == "views").Select(r => r.Done).ToList();
        Assert.Equal([0L, 10_000L, 20_000L], views);
    }

    // Records each report on the calling thread (Progress<T> would post them to the thread pool).
    private sealed class Recorded(List<IntegrityProgress> reports) : IProgress<IntegrityProgress>
    {
        public void Report(IntegrityProgress value) => reports.Add(value);
    }

    [Fact]
    public void A_forged_row_leaves_every_read_working_and_stemeql_check_reports_its_lsn_and_hash()
    {
        string hash = HashOf("b");
        Damage("UPDATE assertions SET object = 'forged' WHERE subject = 'b'");

        Assert.Equal(3, Rows("SELECT * FROM assertions").Count);
        Assert.Equal("three", Rows("SELECT object FROM assertions USING LENS consensus WHERE subject = 'c'")[0][0]);
        var problem = Assert.Single(Rows("SELECT kind, lsn, hash, detail FROM stemeql_check WHERE kind = 'assertion_hash'"));
        Assert.Equal(("assertion_hash", 2L, hash), ((string)problem[0], (long)problem[1], (string)problem[2]));
        // The views were folded from the row as it was: they differ from the forged ledger too.
        Assert.Contains(Rows("SELECT kind FROM stemeql_check"), row => (string)row[0] == "view_mismatch");
        Assert.Empty(Rows("SELECT * FROM stemeql_check WHERE kind = 'journal'"));
    }

    [Fact]
    public void An_undecodable_row_fails_only_the_reads_that_reach_it_with_an_IntegrityError()
    {
        string hash = HashOf("b");
        Damage("UPDATE assertions SET object_type = 99 WHERE subject = 'b'");

        var error = Assert.Throws<StemeException>(() => Rows("SELECT * FROM assertions"));
        Assert.Equal(StemeErrorCode.IntegrityError, error.ErrorCode);
        Assert.Contains("LSN 2", error.Message, StringComparison.Ordinal);
        Assert.Contains(hash, error.Message, StringComparison.Ordinal);
        Assert.Contains("steme check", error.Message, StringComparison.Ordinal);
        Assert.Equal("one", Rows("SELECT object FROM assertions WHERE subject = 'a'")[0][0]);
        Assert.Equal("three", Rows("SELECT object FROM assertions USING LENS consensus WHERE subject = 'c'")[0][0]);
        var problem = Assert.Single(Rows("SELECT kind, lsn, hash FROM stemeql_check WHERE hash IS NOT NULL"));
        Assert.Equal(("unreadable_row", 2L, hash), ((string)problem[0], (long)problem[1], (string)problem[2]));
    }
}
