using System.Diagnostics;
using System.Text;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.Provider;

public sealed class CommandTimeoutTests : IDisposable
{
    private readonly TempFolderDatabase _database = new();

    [Fact]
    public void CommandTimeout_bounds_parsing_and_planning_and_writes_nothing()
    {
        using var connection = _database.Open();
        long before = (long)new StemeCommand("SELECT durable_lsn FROM stemeql_status", connection).ExecuteScalar()!;
        // Several megabytes of text, never seen before (the plan cache would skip the parse): parsing
        // and planning it takes far longer than the one-second timeout.
        var text = new StringBuilder("ASSERT ('a', 'p', 'o');");
        string marker = Guid.NewGuid().ToString("N");
        for (int i = 0; i < 60_000; i++) text.Append("SELECT subject FROM assertions WHERE subject = '").Append(marker).Append(i).Append("' AND predicate = 'p';");
        using var command = new StemeCommand(text.ToString(), connection) { CommandTimeout = 1 };

        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<StemeException>(() => command.ExecuteNonQuery());

        Assert.Equal(StemeErrorCode.Timeout, error.ErrorCode);
        // The timer may fire a millisecond before the stopwatch reads one second (they tick from
        // different clocks), so the lower bound only shows that the timeout, not an early error, ended it.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(15));
        Assert.Equal(before, (long)new StemeCommand("SELECT durable_lsn FROM stemeql_status", connection).ExecuteScalar()!);
    }

    [Fact]
    public void CommandTimeout_bounds_a_command_run_while_a_reader_of_the_same_thread_is_open()
    {
        // The thread's deadline slot is the open reader's, so this command arms a timer of its own.
        using var connection = _database.Open();
        using var other = _database.Open();
        // stemeql_status always has its row, so the reader stays open on it.
        using var open = new StemeCommand("SELECT durable_lsn FROM stemeql_status", other).ExecuteReader();
        Assert.True(open.Read());
        var text = new StringBuilder();
        string marker = Guid.NewGuid().ToString("N");
        for (int i = 0; i < 60_000; i++) text.Append("SELECT subject FROM assertions WHERE subject = '").Append(marker).Append(i).Append("' AND predicate = 'p';");
        using var command = new StemeCommand(text.ToString(), connection) { CommandTimeout = 1 };

        var error = Assert.Throws<StemeException>(() => command.ExecuteNonQuery());

        Assert.Equal(StemeErrorCode.Timeout, error.ErrorCode);
    }

    [Fact]
    public async Task Cancelling_the_callers_token_stops_parsing()
    {
        using var connection = _database.Open();
        var text = new StringBuilder();
        for (int i = 0; i < 60_000; i++) text.Append("SELECT subject FROM assertions WHERE subject = 's").Append(i).Append(Guid.NewGuid().ToString("N")[..4]).Append("';");
        using var command = new StemeCommand(text.ToString(), connection) { CommandTimeout = 0 };
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => command.ExecuteNonQueryAsync(cancellation.Token));

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(15));
    }

    public void Dispose() => _database.Dispose();
}
