using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Execution;

/// <summary>
/// The rows of the <c>agents</c> relation, in agent order: the store counts assertions and votes per agent
/// on its agent indexes (<see cref="IEpistemeStore.CountBy"/>), and each agent's first and last LSN are
/// four one-row seeks (oldest and newest assertion and vote), so no assertion or vote row is read in bulk.
/// </summary>
internal static class AgentSummary
{
    /// <summary>One row per agent with a write matching <paramref name="keys"/> (agents and the LSN range).</summary>
    public static IEnumerable<StemeValue[]> Read(IEpistemeStore store, KeyFilter keys, CancellationToken cancellation)
    {
        keys = keys with { Limit = null, Descending = false };
        var assertions = CountsByAgent(store, StoreRelation.Assertions, keys);
        var votes = CountsByAgent(store, StoreRelation.Votes, keys);
        foreach (var agent in assertions.Keys.Union(votes.Keys).Order(StringComparer.Ordinal))
        {
            cancellation.ThrowIfCancellationRequested();
            var one = keys with { Agents = [agent], Limit = 1 };
            var newest = one with { Descending = true };
            long first = Math.Min(store.ScanAssertions(one).FirstOrDefault()?.Lsn ?? long.MaxValue, store.ScanVotesOn(one).FirstOrDefault()?.Lsn ?? long.MaxValue);
            long last = Math.Max(store.ScanAssertions(newest).FirstOrDefault()?.Lsn ?? 0, store.ScanVotesOn(newest).FirstOrDefault()?.Lsn ?? 0);
            yield return
            [
                StemeValue.Text(agent), StemeValue.Integer(assertions.GetValueOrDefault(agent)), StemeValue.Integer(votes.GetValueOrDefault(agent)),
                StemeValue.Integer(first), StemeValue.Integer(last),
            ];
        }
    }

    private static Dictionary<string, long> CountsByAgent(IEpistemeStore store, StoreRelation relation, KeyFilter keys) =>
        store.CountBy(relation, keys, GroupColumn.Agent).ToDictionary(g => g.Key, g => g.Count, StringComparer.Ordinal);
}
