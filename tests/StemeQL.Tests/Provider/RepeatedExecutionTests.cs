using System.Text;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.Provider;

/// <summary>
/// One command run again and again: ExecuteNonQuery and ExecuteScalar reuse the command's own reader,
/// and every execution of a command its previous execution's cancellation, so nothing of one execution
/// (rows, counts, a failure, a cancellation or a timeout) may reach the next.
/// </summary>
public sealed class RepeatedExecutionTests : IDisposable
{
    private readonly TempFolderDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public void ExecuteScalar_of_an_ASSERT_gives_each_executions_own_hash()
    {
        using var connection = _database.Open();
        using var command = new StemeCommand("ASSERT ('s', 'p', @o)", connection);
        var value = command.Parameters.AddWithValue("o", 1L);
        var first = command.ExecuteScalar();
        value.Value = 2L;
        var second = command.ExecuteScalar();
        Assert.NotEqual(first, second);
        Assert.Equal(2L, new StemeCommand("SELECT count(*) FROM assertions", connection).ExecuteScalar());
    }

    [Fact]
    public void ExecuteNonQuery_counts_each_execution_on_its_own()
    {
        using var connection = _database.Open();
        using var command = new StemeCommand("ASSERT ('s', 'p', @o), ('t', 'p', @o)", connection);
        var value = command.Parameters.AddWithValue("o", 1L);
        Assert.Equal(2, command.ExecuteNonQuery());
        value.Value = 2L;
        Assert.Equal(2, command.ExecuteNonQuery());
    }

    [Fact]
    public void ExecuteNonQuery_runs_again_after_an_execution_that_failed()
    {
        using var connection = _database.Open();
        using var command = new StemeCommand("ASSERT (@s, 'p', 1)", connection);
        var subject = command.Parameters.AddWithValue("s", 42L);
        Assert.Throws<StemeException>(() => command.ExecuteNonQuery());
        subject.Value = "s";
        Assert.Equal(1, command.ExecuteNonQuery());
        Assert.Equal(1L, new StemeCommand("SELECT count(*) FROM assertions", connection).ExecuteScalar());
    }

    [Fact]
    public void ExecuteScalar_of_a_query_after_a_write_reads_the_querys_row()
    {
        using var connection = _database.Open();
        using var command = new StemeCommand("ASSERT ('s', 'p', 'v')", connection);
        Assert.IsType<string>(command.ExecuteScalar());
        command.CommandText = "SELECT object FROM assertions WHERE subject = 's'";
        Assert.Equal("v", command.ExecuteScalar());
        command.CommandText = "SELECT object FROM assertions WHERE subject = 'none'";
        Assert.Null(command.ExecuteScalar());
    }

    [Fact]
    public void A_reader_the_caller_closed_stays_closed_when_the_command_runs_again()
    {
        using var connection = _database.Open();
        using var command = new StemeCommand("ASSERT ('s', 'p', @o)", connection);
        var value = command.Parameters.AddWithValue("o", 1L);
        var reader = command.ExecuteReader();
        reader.Close();
        value.Value = 2L;
        command.ExecuteNonQuery();
        command.ExecuteScalar();
        Assert.True(reader.IsClosed);
        Assert.Throws<InvalidOperationException>(() => reader.Read());
    }

    [Fact]
    public void Cancel_between_two_executions_cancels_neither()
    {
        using var connection = _database.Open();
        using var command = new StemeCommand("ASSERT ('s', 'p', @o)", connection);
        var value = command.Parameters.AddWithValue("o", 1L);
        Assert.Equal(1, command.ExecuteNonQuery());
        command.Cancel();
        value.Value = 2L;
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    [Fact]
    public async Task A_command_stopped_by_its_callers_token_runs_again_to_the_end()
    {
        using var connection = _database.Open();
        using var command = new StemeCommand(ManyQueries(), connection) { CommandTimeout = 0 };
        using (var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => command.ExecuteNonQueryAsync(cancellation.Token));
        command.CommandText = "ASSERT ('s', 'p', 1)";
        Assert.Equal(1, await command.ExecuteNonQueryAsync(CancellationToken.None));
    }

    [Fact]
    public void A_command_that_timed_out_runs_again_within_its_timeout()
    {
        using var connection = _database.Open();
        using var command = new StemeCommand(ManyQueries(), connection) { CommandTimeout = 1 };
        Assert.Equal(StemeErrorCode.Timeout, Assert.Throws<StemeException>(() => command.ExecuteNonQuery()).ErrorCode);
        command.CommandText = "ASSERT ('s', 'p', 1)";
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    // Text whose parsing and planning take seconds (never seen before, so the plan cache cannot skip them).
    private static string ManyQueries()
    {
        var text = new StringBuilder();
        string marker = Guid.NewGuid().ToString("N");
        for (int i = 0; i < 60_000; i++) text.Append("SELECT subject FROM assertions WHERE subject = '").Append(marker).Append(i).Append("';");
        return text.ToString();
    }
}
