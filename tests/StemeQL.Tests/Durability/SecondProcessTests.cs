using System.Diagnostics;
using System.Globalization;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.Durability;

/// <summary>
/// One writer per folder, across processes: a child process (the crash writer in hold, probe or
/// read mode) holds or tries a folder that this test process also opens.
/// </summary>
[Collection(DurabilityCollection.Name)]
public sealed class SecondProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void Open_for_writing_fails_fast_with_DatabaseLocked_naming_the_folder_when_another_process_writes_it()
    {
        using var database = new TempFolderDatabase();
        using var holder = Hold(database.Folder);

        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<StemeException>(() =>
        {
            using var connection = new StemeConnection(database.ConnectionString("second"));
            connection.Open();
            using var command = new StemeCommand("ASSERT ('x', 'y', 'z')", connection);
            command.ExecuteNonQuery();
        });
        clock.Stop();

        Assert.Equal(StemeErrorCode.DatabaseLocked, error.ErrorCode);
        Assert.Contains(Path.GetFullPath(database.Folder), error.Message, StringComparison.Ordinal);
        Assert.True(error.IsTransient);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Refusing the second writer took {clock.Elapsed.TotalSeconds:0.0} s.");
        Assert.False(holder.HasExited, holder.Describe());
    }

    [Fact]
    public void Read_only_connection_reads_what_the_writing_process_wrote_before_and_after_it_opened()
    {
        using var database = new TempFolderDatabase();
        using var holder = Hold(database.Folder);
        var first = Written(holder, 5);

        using var reader = new StemeConnection(ReadOnly(database));
        reader.Open();
        Assert.Equal(first, HashesAndLsns(reader));
        Assert.True(Convert.ToBoolean(Scalar(reader, "SELECT read_only FROM stemeql_status"), CultureInfo.InvariantCulture));

        var more = Written(holder, 3);
        Assert.Equal(first.Concat(more).ToDictionary(), HashesAndLsns(reader));
    }

    [Fact]
    public void Writes_on_a_read_only_connection_fail_with_ReadOnly_and_write_nothing()
    {
        using var database = new TempFolderDatabase();
        using var holder = Hold(database.Folder);
        var written = Written(holder, 2);

        using var reader = new StemeConnection(ReadOnly(database));
        reader.Open();
        foreach (string sql in new[] { "ASSERT ('ro', 'p', 'o')", $"VOTE '{written.Keys.First()}' WEIGHT 0.5" })
        {
            var error = Assert.Throws<StemeException>(() => Scalar(reader, sql));
            Assert.Equal(StemeErrorCode.ReadOnly, error.ErrorCode);
        }
        using (var batch = reader.CreateBatch())
        {
            batch.BatchCommands.Add(new StemeBatchCommand("ASSERT ('ro', 'p', 'batch')"));
            Assert.Equal(StemeErrorCode.ReadOnly, Assert.Throws<StemeException>(() => batch.ExecuteNonQuery()).ErrorCode);
        }
        Assert.Equal(StemeErrorCode.ReadOnly, Assert.Throws<StemeException>(() =>
            new StemeBulkLoader(reader).WriteVotes([new BulkVote(written.Keys.First(), 1.0)])).ErrorCode);

        // Nothing reached the folder: the writer's next assertion takes the next LSN, and there are no votes.
        var next = Written(holder, 1);
        Assert.Equal(written.Values.Max() + 1, next.Values.Single());
        Assert.Equal(written.Concat(next).ToDictionary(), HashesAndLsns(reader));
        Assert.Null(Scalar(reader, "SELECT lsn FROM votes"));
    }

    [Fact]
    public void Folder_opens_for_writing_once_the_other_process_closes_it()
    {
        using var database = new TempFolderDatabase();
        using var holder = Hold(database.Folder);
        var written = Written(holder, 3);
        Assert.Equal(StemeErrorCode.DatabaseLocked, Assert.Throws<StemeException>(() => database.Open("second")).ErrorCode);

        holder.CloseInput();
        holder.WaitForLine(line => line == "CLOSED", Patience);
        Assert.Equal(0, holder.WaitForExit(Patience));

        using var connection = database.Open("second");
        Assert.Equal(written, HashesAndLsns(connection));
        Assert.Equal(written.Values.Max() + 1, AssertOne(connection, "ASSERT ('after', 'p', 'o')").Value);
    }

    [Fact]
    public void Folder_opens_for_writing_once_the_other_process_is_killed()
    {
        using var database = new TempFolderDatabase();
        var holder = Hold(database.Folder);
        var written = Written(holder, 4);
        holder.KillHard();
        holder.Dispose();

        // The OS drops the dead process's folder lock; no stale lock is left to clear by hand.
        using var connection = database.Open("second");
        Assert.Equal(written, HashesAndLsns(connection));
    }

    [Fact]
    public void Other_process_is_refused_writing_but_may_read_while_this_process_writes()
    {
        using var database = new TempFolderDatabase();
        Dictionary<string, long> written;
        using (var connection = database.Open("writer"))
        {
            written = Enumerable.Range(0, 3).Select(i => AssertOne(connection, $"ASSERT ('mine', 'n', {i})")).ToDictionary();
            // A Strong read: it returns once the views hold the writes, so another process can read them.
            Assert.Equal(written, HashesAndLsns(connection));

            using (var probe = ChildProcess.Start("probe", database.Folder))
            {
                Assert.Equal(0, probe.WaitForExit(Patience));
                string line = Assert.Single(probe.Lines);
                Assert.StartsWith("LOCKED DatabaseLocked ", line, StringComparison.Ordinal);
                Assert.Contains(Path.GetFullPath(database.Folder), line, StringComparison.Ordinal);
            }
            using (var read = ChildProcess.Start("read", database.Folder))
            {
                Assert.Equal(0, read.WaitForExit(Patience));
                var log = new AckLog();
                log.AddRun(read.Lines);
                Assert.Equal(written, log.Assertions);
                Assert.Equal("DONE 3 0", read.Lines[^1]);
            }
        }

        using (var probe = ChildProcess.Start("probe", database.Folder))
        {
            Assert.Equal(0, probe.WaitForExit(Patience));
            Assert.Equal(["OPENED"], probe.Lines);
        }
    }

    private static ChildProcess Hold(string folder)
    {
        var child = ChildProcess.Start("hold", folder);
        child.WaitForLine(line => line == "READY", Patience);
        return child;
    }

    /// <summary>Has the holder assert <paramref name="count"/> new assertions; returns their hashes and LSNs once they are visible.</summary>
    private static Dictionary<string, long> Written(ChildProcess holder, int count)
    {
        int from = holder.Lines.Count;
        holder.Send($"assert {count}");
        int ok = holder.WaitForLine(line => line == "OK" || line.StartsWith("ERROR", StringComparison.Ordinal), Patience, from);
        var lines = holder.Lines.Skip(from).Take(ok - from + 1).ToList();
        Assert.Equal("OK", lines[^1]);
        var log = new AckLog();
        log.AddRun(lines);
        Assert.Equal(count, log.Assertions.Count);
        return log.Assertions.ToDictionary();
    }

    private static string ReadOnly(TestDatabase database) =>
        new StemeConnectionStringBuilder(database.ConnectionString("reader")) { ReadOnly = true }.ConnectionString;

    private static Dictionary<string, long> HashesAndLsns(StemeConnection connection)
    {
        using var command = new StemeCommand("SELECT hash, lsn FROM assertions", connection);
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<string, long>();
        while (reader.Read()) rows.Add(reader.GetString(0), reader.GetInt64(1));
        return rows;
    }

    private static KeyValuePair<string, long> AssertOne(StemeConnection connection, string sql)
    {
        using var command = new StemeCommand(sql, connection);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return new(reader.GetString(0), reader.GetInt64(1));
    }

    private static object? Scalar(StemeConnection connection, string sql)
    {
        using var command = new StemeCommand(sql, connection);
        return command.ExecuteScalar();
    }
}
