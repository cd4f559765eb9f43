using System.Collections.Concurrent;
using Npgsql;
using StemeQL.TestSupport;

namespace StemeQL.Storage.Tests.Replication;

/// <summary>
/// One failover, observed by <see cref="FailoverTests"/>: on a pair of its own, a writer commits rows one by
/// one through the read-write multi-host connection string; after 100 acknowledgements the primary is
/// killed mid-stream (<c>pg_ctl stop -m immediate</c>); once the writer has failed, a client tries to open a
/// read-write connection while neither server is primary; then the standby is promoted and that client
/// retries until it is connected again.
/// </summary>
public sealed class FailoverScenario : IAsyncLifetime
{
    private const int AcknowledgedBeforeKill = 100;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly ConcurrentQueue<int> _acknowledged = new();
    private PrivatePostgresPair? _pair;
    private ProbeTable? _table;

    internal PrivatePostgresPair Pair => _pair ?? throw new InvalidOperationException("the scenario has not run");

    internal ProbeTable Table => _table ?? throw new InvalidOperationException("the scenario has not run");

    /// <summary>The ids whose commit returned before the writer failed.</summary>
    public IReadOnlyCollection<int> Acknowledged => _acknowledged;

    /// <summary>What the writer's first write after the kill threw.</summary>
    public Exception? WriterError { get; private set; }

    /// <summary>What opening a read-write connection threw after the kill, before the promotion (null: it opened).</summary>
    public Exception? OpenErrorBeforePromotion { get; private set; }

    /// <summary>
    /// How long after the promotion the client that had seen the standby as a standby took to open a read-write
    /// connection, retrying every 100 ms with <c>Host Recheck Seconds=1</c> (Npgsql caches a host's role that long).
    /// </summary>
    public TimeSpan ReopenedAfterPromotion { get; private set; }

    private string RecheckingMultiHost => new NpgsqlConnectionStringBuilder(Pair.MultiHost) { HostRecheckSeconds = 1 }.ConnectionString;

    public async Task InitializeAsync()
    {
        _pair = await PrivatePostgresPair.StartAsync();
        _table = await ProbeTable.CreateAsync(_pair.MultiHost);
        using var enough = new SemaphoreSlim(0);
        Task writer = WriteUntilItFailsAsync(enough);
        if (!await enough.WaitAsync(Patience)) throw new TimeoutException($"the writer did not reach {AcknowledgedBeforeKill} commits");
        await _pair.KillPrimaryAsync();
        await writer.WaitAsync(Patience);
        OpenErrorBeforePromotion = await OpenErrorAsync(RecheckingMultiHost);
        await _pair.PromoteStandbyAsync();
        ReopenedAfterPromotion = await TimeToOpenAsync(RecheckingMultiHost);
    }

    public async Task DisposeAsync()
    {
        if (_pair is not null) await _pair.DisposeAsync();
    }

    private static async Task<Exception?> OpenErrorAsync(string connectionString)
    {
        try
        {
            await using var connection = await ProbeTable.OpenAsync(connectionString);
            return null;
        }
        catch (NpgsqlException error)
        {
            return error;
        }
    }

    private static async Task<TimeSpan> TimeToOpenAsync(string connectionString)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (await OpenErrorAsync(connectionString) is not null && elapsed.Elapsed < Patience)
            await Task.Delay(100);
        return elapsed.Elapsed;
    }

    private async Task WriteUntilItFailsAsync(SemaphoreSlim enough)
    {
        await using var connection = await ProbeTable.OpenAsync(Pair.MultiHost);
        for (int id = 0; ; id++)
        {
            try
            {
                await Table.InsertAsync(connection, id);
            }
            catch (Exception error) when (error is NpgsqlException or InvalidOperationException)
            {
                WriterError = error;
                return;
            }
            _acknowledged.Enqueue(id);
            if (_acknowledged.Count == AcknowledgedBeforeKill) enough.Release();
        }
    }
}
