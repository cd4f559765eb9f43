using StemeQL.Tests.Support;

namespace StemeQL.Tests.Provider;

/// <summary>A prepared command run many times: fresh values each time, and little garbage per read.</summary>
public sealed class PreparedLookupTests : IDisposable
{
    private readonly TempFolderDatabase _database = new();
    private readonly StemeDataSource _source;

    // No spans or metrics: a listener registered by another test would make each read allocate them.
    public PreparedLookupTests() => _source = new StemeDataSourceBuilder(_database.ConnectionString()).EnableTelemetry(false).Build();

    public void Dispose()
    {
        _source.Dispose();
        _database.Dispose();
    }

    private StemeConnection Seeded()
    {
        var connection = _source.OpenConnection();
        using var batch = connection.CreateBatch();
        for (int i = 0; i < 50; i++)
            batch.BatchCommands.Add(new StemeBatchCommand($"ASSERT ('s{i}', 'p', {i})"));
        batch.ExecuteNonQuery();
        return connection;
    }

    [Fact]
    public void A_prepared_command_reads_each_executions_own_parameter_values()
    {
        using var connection = Seeded();
        using var command = new StemeCommand("SELECT object FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'p'", connection);
        var subject = command.Parameters.AddWithValue("@s", "s1");
        command.Prepare();
        for (int i = 0; i < 50; i += 7)
        {
            subject.Value = "s" + i;
            Assert.Equal((long)i, command.ExecuteScalar());
        }
    }

    [Fact]
    public void A_prepared_command_runs_again_after_an_execution_failed_on_a_parameter()
    {
        using var connection = Seeded();
        using var command = new StemeCommand("SELECT object FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'p'", connection);
        var subject = command.Parameters.AddWithValue("@s", new object());
        Assert.Throws<NotSupportedException>(() => command.ExecuteScalar());
        subject.Value = "s3";
        Assert.Equal(3L, command.ExecuteScalar());
    }

    [Fact]
    public void A_prepared_consensus_lookup_allocates_little_per_read()
    {
        using var connection = Seeded();
        using var command = new StemeCommand("SELECT object, confidence FROM assertions USING LENS consensus WHERE subject = @s AND predicate = @p", connection);
        var subject = command.Parameters.AddWithValue("@s", "s0");
        command.Parameters.AddWithValue("@p", "p");
        command.Prepare();
        var subjects = Enumerable.Range(0, 50).Select(i => "s" + i).ToArray();
        void Read(int i)
        {
            subject.Value = subjects[i % subjects.Length];
            using var reader = command.ExecuteReader();
            // Checked without xunit's asserts, which allocate on their own.
            if (!reader.Read() || reader.GetDouble(1) != 1.0) throw new InvalidOperationException("The lookup found no row, or the wrong one.");
        }
        // Warm, so the hot methods are compiled with full optimization (tier-0 code allocates more).
        for (int i = 0; i < 3_000; i++) Read(i);
        Thread.Sleep(300);
        for (int i = 0; i < 3_000; i++) Read(i);
        const int reads = 5_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < reads; i++) Read(i);
        long perRead = (GC.GetAllocatedBytesForCurrentThread() - before) / reads;
        // The benchmark's target is 1 KB, and a console program measures about 1,000 bytes; under the test
        // host the same loop measures about 1,700 (the host's execution context costs something per read).
        // The bound catches a return of the Microsoft.Data.Sqlite command and iterators per read (about
        // 1,100 bytes more in the console program).
        Assert.True(perRead <= 2_000, $"{perRead} bytes allocated per read");
    }

    [Fact]
    public void A_prepared_read_of_the_newest_ten_hashes_by_agent_allocates_nothing_per_row_it_does_not_read()
    {
        using var connection = Seeded();
        using var command = new StemeCommand("SELECT hash FROM assertions WHERE agent = @a ORDER BY lsn DESC LIMIT 10", connection);
        command.Parameters.AddWithValue("@a", "anonymous");
        command.Prepare();
        void Read()
        {
            using var reader = command.ExecuteReader();
            int rows = 0;
            while (reader.Read()) rows++;
            // Checked without xunit's asserts, which allocate on their own.
            if (rows != 10) throw new InvalidOperationException($"The read found {rows} rows, not 10.");
        }
        for (int i = 0; i < 3_000; i++) Read();
        Thread.Sleep(300);
        for (int i = 0; i < 3_000; i++) Read();
        const int reads = 5_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < reads; i++) Read();
        long perRead = (GC.GetAllocatedBytesForCurrentThread() - before) / reads;
        // Read in place, the rows cost nothing: about 700 bytes per read in a console program and 1,000
        // under the test host (the reader, the keys and the cursor). Built as whole assertions with their
        // hashes as hex text, then projected and limited through stages, the same read took about 4,500
        // bytes in the console program and 10,000 under the test host.
        Assert.True(perRead <= 2_000, $"{perRead} bytes allocated per read");
    }
}
