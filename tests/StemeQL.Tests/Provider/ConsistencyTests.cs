using StemeQL.Storage.Embedded;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.Provider;

/// <summary>
/// The consistency levels: what a read waits for, and the tokens it is given. A CommandTimeout of 1 s only keeps a
/// broken level from hanging the run.
/// </summary>
public abstract class ConsistencyTests : IDisposable
{
    private protected const string ReadObjects = "SELECT object FROM assertions WHERE subject = 's' AND predicate = 'p'";

    private readonly List<StemeConnection> _connections = [];

    private protected ConsistencyTests(StorageBackend backend) => Database = backend.CreateDatabase();

    private protected TestDatabase Database { get; }

    [Fact]
    public void Default_read_sees_its_own_connections_writes_immediately()
    {
        var connection = Open("alice");
        for (int i = 0; i < 20; i++)
        {
            Write(connection, $"'v{i}'");
            Assert.Contains($"v{i}", Objects(connection));
        }
    }

    [Fact]
    public void Process_read_sees_writes_of_other_connections()
    {
        var writer = Open("writer");
        var reader = Open("reader", consistency: StemeConsistency.Process);
        for (int i = 0; i < 20; i++)
        {
            Write(writer, $"'v{i}'");
            Assert.Contains($"v{i}", Objects(reader));
        }
    }

    [Fact]
    public void AtLeast_read_without_a_token_throws_InvalidOperationException_naming_MinimumLsn()
    {
        var reader = Open("reader", StemeConsistency.AtLeast);
        var error = Assert.Throws<InvalidOperationException>(() => Objects(reader));
        Assert.Contains("MinimumLsn", error.Message);
    }

    [Fact]
    public void WaitForLsn_rejects_a_token_beyond_the_newest_write()
    {
        var writer = Open("writer");
        Write(writer, "'x'");
        var error = Assert.Throws<StemeException>(() => Open("reader").WaitForLsn(writer.LastWriteLsn + 1000));
        Assert.Equal(StemeErrorCode.InvalidParameterValue, error.ErrorCode);
        Assert.Contains("LSN 1001", error.Message);
    }

    [Fact]
    public void LastWriteLsn_is_kept_across_Close_and_Open_and_cleared_by_a_new_connection_string()
    {
        var connection = Open("alice");
        Write(connection, "'x'");
        Write(connection, "'y'");
        connection.Close();
        Assert.Equal(2, connection.LastWriteLsn);
        connection.Open();
        Assert.Equal(2, connection.LastWriteLsn);
        connection.Close();
        connection.ConnectionString = Database.ConnectionString("alice");
        Assert.Equal(0, connection.LastWriteLsn);
    }

    [Fact]
    public void MinimumLsn_beyond_the_newest_write_is_rejected_at_every_level()
    {
        var writer = Open("writer");
        Write(writer, "'x'");
        var error = Assert.Throws<StemeException>(() => Objects(Open("reader", StemeConsistency.Eventual), 99));
        Assert.Equal(StemeErrorCode.InvalidParameterValue, error.ErrorCode);
        Assert.Contains("LSN 99 (the command's MinimumLsn)", error.Message);
    }

    private protected StemeConnection Open(string agent, StemeConsistency consistency = StemeConsistency.ReadYourWrites, int timeout = 30,
        string? consistencyText = null, bool readOnly = false)
    {
        var builder = new StemeConnectionStringBuilder(Database.ConnectionString(agent)) { CommandTimeout = timeout, ReadOnly = readOnly };
        if (consistencyText is null) builder.Consistency = consistency;
        else builder["Consistency"] = consistencyText;
        var connection = new StemeConnection(builder.ConnectionString);
        connection.Open();
        _connections.Add(connection);
        return connection;
    }

    private protected static void Write(StemeConnection connection, string value)
    {
        using var command = new StemeCommand($"ASSERT ('s', 'p', {value})", connection);
        command.ExecuteNonQuery();
    }

    private protected static List<string> Objects(StemeConnection connection, long minimumLsn = 0)
    {
        using var command = new StemeCommand(ReadObjects, connection) { MinimumLsn = minimumLsn };
        using var reader = command.ExecuteReader();
        var objects = new List<string>();
        while (reader.Read()) objects.Add(reader.GetString(0));
        return objects;
    }

    public void Dispose()
    {
        foreach (var connection in _connections) connection.Dispose();
        Database.Dispose();
    }
}

/// <summary>
/// The suite on the embedded store, and the tests that hold its materializer where acknowledged writes must be kept
/// out of the views: every outcome is decided by the hold, never by how fast the views catch up.
/// </summary>
public sealed class EmbeddedConsistencyTests() : ConsistencyTests(StorageBackend.Named("embedded"))
{
    // Embedded only: these hold the materializer (EmbeddedStore.HoldMaterialization) to keep acknowledged writes out of
    // the views, and PostgreSQL folds the views in the write's own transaction, so it has no backlog to hold or wait for.
    // MinimumLsn_cannot_be_negative opens no store, so it runs once, here.

    [Fact]
    public void Default_read_on_another_connection_is_not_held_up_by_a_writers_backlog()
    {
        var writer = Open("writer");
        Write(writer, "'old'");
        Assert.Equal(["old"], Objects(writer));
        var reader = Open("reader", timeout: 1);

        using (HoldViews())
        {
            Write(writer, "'new'");
            // The writer's new LSN is acknowledged but not in the views; the reader never wrote, so it
            // reads at once, without the held write (waiting for it would time out instead).
            Assert.Equal(["old"], Objects(reader));
            Assert.Equal(0, reader.LastWriteLsn);
            Assert.Equal(2, writer.LastWriteLsn);
        }
    }

    [Fact]
    public async Task Default_reads_beside_a_StemeBatch_voter_never_wait_for_its_backlog()
    {
        var voter = Open("voter");
        Write(voter, "'old'");
        string hash = (string)new StemeCommand("SELECT hash FROM assertions", voter).ExecuteScalar()!;
        var reader = Open("reader", timeout: 1);
        using var stop = new CancellationTokenSource();
        Task<int> voting;
        using (HoldViews())
        {
            voting = Task.Run(() =>
            {
                int batches = 0;
                while (!stop.IsCancellationRequested || batches == 0)
                {
                    using var batch = voter.CreateBatch();
                    for (int i = 0; i < 100; i++) batch.BatchCommands.Add(new StemeBatchCommand($"VOTE '{hash}' WEIGHT 0.5"));
                    batch.ExecuteNonQuery();
                    batches++;
                }
                return batches;
            });
            // Every read runs while the voter's batches pile up unmaterialized: a wait for any of them
            // would time out.
            for (int i = 0; i < 20; i++) Assert.Equal(["old"], Objects(reader));
            await stop.CancelAsync();
            await voting.WaitAsync(TimeSpan.FromMinutes(1));
            Assert.True(voter.LastWriteLsn > 1);
            Assert.Equal(0, CountVotes(reader));
        }
        Assert.Equal((voter.LastWriteLsn - 1), CountVotes(reader, voter.LastWriteLsn));
    }

    private static long CountVotes(StemeConnection connection, long minimumLsn = 0)
    {
        using var command = new StemeCommand("SELECT lsn FROM votes", connection) { MinimumLsn = minimumLsn };
        using var reader = command.ExecuteReader();
        long n = 0;
        while (reader.Read()) n++;
        return n;
    }

    [Fact]
    public void Default_read_waits_for_its_own_write_while_the_views_are_held()
    {
        var connection = Open("alice", timeout: 1);
        using (HoldViews())
        {
            Write(connection, "'mine'");
            var error = Assert.Throws<StemeException>(() => Objects(connection));
            Assert.Equal(StemeErrorCode.Timeout, error.ErrorCode);
        }
        Assert.Equal(["mine"], Objects(connection));
    }

    [Fact]
    public void Process_read_waits_for_another_connections_held_write()
    {
        var writer = Open("writer");
        var reader = Open("reader", StemeConsistency.Process, timeout: 1);
        using (HoldViews())
        {
            Write(writer, "'theirs'");
            Assert.Equal(StemeErrorCode.Timeout, Assert.Throws<StemeException>(() => Objects(reader)).ErrorCode);
        }
        Assert.Equal(["theirs"], Objects(reader));
    }

    [Fact]
    public void Strong_in_the_connection_string_behaves_as_Process()
    {
        var writer = Open("writer");
        var reader = Open("reader", StemeConsistency.Process, timeout: 1, consistencyText: "Strong");
        Assert.Equal(StemeConsistency.Process, reader.Consistency);
        using (HoldViews())
        {
            Write(writer, "'theirs'");
            Assert.Equal(StemeErrorCode.Timeout, Assert.Throws<StemeException>(() => Objects(reader)).ErrorCode);
        }
    }

    [Fact]
    public void AtLeast_read_with_another_connections_token_sees_that_write()
    {
        var writer = Open("writer");
        var reader = Open("reader", StemeConsistency.AtLeast, timeout: 1);
        using (HoldViews())
        {
            Write(writer, "'token'");
            Assert.Equal(StemeErrorCode.Timeout, Assert.Throws<StemeException>(() => Objects(reader, writer.LastWriteLsn)).ErrorCode);
        }
        Assert.Equal(["token"], Objects(reader, writer.LastWriteLsn));
    }

    [Fact]
    public void MinimumLsn_is_honoured_by_an_Eventual_connection()
    {
        var writer = Open("writer");
        var reader = Open("reader", StemeConsistency.Eventual, timeout: 1);
        using (HoldViews())
        {
            Write(writer, "'token'");
            Assert.Empty(Objects(reader));
            Assert.Equal(StemeErrorCode.Timeout, Assert.Throws<StemeException>(() => Objects(reader, writer.LastWriteLsn)).ErrorCode);
        }
        Assert.Equal(["token"], Objects(reader, writer.LastWriteLsn));
    }

    [Fact]
    public void Eventual_read_does_not_wait_even_for_its_own_write()
    {
        var connection = Open("alice", StemeConsistency.Eventual, timeout: 1);
        using (HoldViews())
        {
            Write(connection, "'mine'");
            Assert.Empty(Objects(connection));
        }
    }

    [Fact]
    public void Timeout_says_which_LSN_the_read_waited_for_how_far_behind_the_views_are_and_what_to_do()
    {
        var connection = Open("alice", timeout: 1);
        Write(connection, "'first'");
        Assert.Equal(["first"], Objects(connection));
        using (HoldViews())
        {
            Write(connection, "'second'");
            var error = Assert.Throws<StemeException>(() => Objects(connection));
            Assert.Equal(StemeErrorCode.Timeout, error.ErrorCode);
            Assert.True(error.IsTransient);
            Assert.Contains("CommandTimeout of 1 s", error.Message);
            Assert.Contains("views to include LSN 2 (this connection's last write)", error.Message);
            Assert.Contains("they are at LSN 1, 1 writes behind", error.Message);
            Assert.Contains("Consistency=Eventual", error.Message);
            Assert.Contains("raise CommandTimeout", error.Message);
            Assert.Contains("WaitForLsn", error.Message);
            Assert.DoesNotContain("pin the subject", error.Message);
        }
    }

    [Fact]
    public void WaitForLsn_times_out_with_the_lag_and_returns_once_the_views_include_the_token()
    {
        var writer = Open("writer");
        var reader = Open("reader");
        using (HoldViews())
        {
            Write(writer, "'token'");
            var error = Assert.Throws<StemeException>(() => reader.WaitForLsn(writer.LastWriteLsn, TimeSpan.FromMilliseconds(200)));
            Assert.Equal(StemeErrorCode.Timeout, error.ErrorCode);
            Assert.Contains("views to include LSN 1 (the LSN passed to WaitForLsn)", error.Message);
            Assert.Contains("they are at LSN 0, 1 writes behind", error.Message);
            Assert.Contains("pass a longer timeout", error.Message);
        }
        reader.WaitForLsn(writer.LastWriteLsn, Timeout.InfiniteTimeSpan);
        Assert.Equal(["token"], Objects(reader));
    }

    [Fact]
    public async Task WaitForLsnAsync_completes_only_when_the_views_include_the_token()
    {
        var writer = Open("writer");
        var reader = Open("reader");
        Task waiting;
        using (HoldViews())
        {
            Write(writer, "'token'");
            waiting = reader.WaitForLsnAsync(writer.LastWriteLsn, Timeout.InfiniteTimeSpan);
            Assert.False(waiting.IsCompleted);
        }
        await waiting.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(["token"], Objects(reader));
        Assert.True(reader.WaitForLsnAsync(writer.LastWriteLsn).IsCompletedSuccessfully);
    }

    [Fact]
    public void Read_only_connection_never_waits_for_the_writer_unless_given_a_token()
    {
        var writer = Open("writer");
        Write(writer, "'old'");
        Assert.Equal(["old"], Objects(writer));
        var reader = Open("reader", StemeConsistency.Process, timeout: 1, readOnly: true);
        using (HoldViews())
        {
            Write(writer, "'new'");
            Assert.Equal(["old"], Objects(reader));
            Assert.Equal(StemeErrorCode.Timeout, Assert.Throws<StemeException>(() => Objects(reader, writer.LastWriteLsn)).ErrorCode);
        }
        Assert.Equal(["new", "old"], Objects(reader, writer.LastWriteLsn).Order());
    }

    [Fact]
    public void Batch_MinimumLsn_makes_its_queries_wait_for_the_token()
    {
        var writer = Open("writer");
        var reader = Open("reader", timeout: 1);
        using (HoldViews())
        {
            Write(writer, "'token'");
            using var batch = new StemeBatch(reader) { MinimumLsn = writer.LastWriteLsn };
            batch.BatchCommands.Add(new StemeBatchCommand(ReadObjects));
            Assert.Equal(StemeErrorCode.Timeout, Assert.Throws<StemeException>(() => batch.ExecuteScalar()).ErrorCode);
        }
        using var after = new StemeBatch(reader) { MinimumLsn = writer.LastWriteLsn };
        after.BatchCommands.Add(new StemeBatchCommand(ReadObjects));
        Assert.Equal("token", after.ExecuteScalar());
    }

    [Fact]
    public void MinimumLsn_cannot_be_negative()
    {
        using var command = new StemeCommand();
        Assert.Throws<ArgumentOutOfRangeException>(() => command.MinimumLsn = -1);
    }

    // Keeps acknowledged writes out of the ledger tables and the views until disposed.
    private Held HoldViews()
    {
        var lease = StoreRegistry.Acquire(((TempFolderDatabase)Database).Folder);
        return new Held(lease, ((EmbeddedStore)lease.Store).HoldMaterialization());
    }

    private sealed class Held(StoreLease lease, IDisposable hold) : IDisposable
    {
        public void Dispose()
        {
            hold.Dispose();
            lease.Dispose();
        }
    }
}

/// <summary>The suite on PostgreSQL.</summary>
public sealed class PostgresConsistencyTests() : ConsistencyTests(StorageBackend.Named("postgres"));
