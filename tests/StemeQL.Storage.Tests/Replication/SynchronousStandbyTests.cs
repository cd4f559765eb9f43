using StemeQL.TestSupport;

namespace StemeQL.Storage.Tests.Replication;

/// <summary>
/// The pair's standby is synchronous with <c>synchronous_commit=remote_apply</c> (tools/test-servers/postgres-pair.sh):
/// a commit returns only once the standby has applied it. That is what RPO = 0 and reads on the standby rest on.
/// </summary>
public sealed class SynchronousStandbyTests
{
    [Fact]
    public async Task A_row_committed_on_the_primary_is_readable_on_the_standby_as_soon_as_the_commit_returns()
    {
        var table = await ProbeTable.CreateAsync(TestServers.PostgresPrimary);
        await using var primary = await ProbeTable.OpenAsync(TestServers.PostgresPrimary);
        await using var standby = await ProbeTable.OpenAsync(TestServers.PostgresStandby);

        // Many rounds: with an asynchronous standby, or one that only flushes (synchronous_commit=on),
        // a read racing the replay misses a row within a few rounds.
        for (int id = 0; id < 100; id++)
        {
            await table.InsertAsync(primary, id);
            Assert.True(await table.ContainsAsync(standby, id), $"row {id} was acknowledged by the primary but is not on the standby yet");
        }
    }

    [Fact]
    public async Task A_commit_on_the_primary_does_not_return_while_the_synchronous_standby_is_down()
    {
        await using var pair = await PrivatePostgresPair.StartAsync();
        var table = await ProbeTable.CreateAsync(pair.Primary);
        await using var primary = await ProbeTable.OpenAsync(pair.Primary);
        await pair.StopStandbyAsync();

        Task insert = table.InsertAsync(primary, 1);
        Task first = await Task.WhenAny(insert, Task.Delay(TimeSpan.FromSeconds(3)));
        Assert.False(first == insert, "the commit returned with no synchronous standby to confirm it");

        await pair.StartStandbyAsync();
        await insert.WaitAsync(TimeSpan.FromSeconds(60));
        await using var standby = await ProbeTable.OpenAsync(pair.Standby);
        Assert.True(await table.ContainsAsync(standby, 1), "the commit returned once the standby was back, but the row is not on it");
    }
}
