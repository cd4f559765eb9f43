namespace StemeQL.Planner.Execution;

/// <summary>
/// A bounded, thread-safe LRU cache of prepared statements keyed by command text, shared by every
/// connection of the process, so a repeated or prepared command is not parsed or planned again.
/// </summary>
public sealed class PlanCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Text, IReadOnlyList<PreparedStatement> Statements)>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Text, IReadOnlyList<PreparedStatement> Statements)> _lru = new();
    private readonly Lock _lock = new();

    /// <summary>The process-wide cache.</summary>
    public static readonly PlanCache Shared = new(512);

    /// <summary>How many lookups were answered from the cache (for tests and diagnostics).</summary>
    public long Hits { get; private set; }

    /// <summary>The number of cached command texts.</summary>
    public int Count { get { lock (_lock) return _map.Count; } }

    /// <summary>The cached statements for <paramref name="text"/>, or those <paramref name="prepare"/> makes (errors are not cached).</summary>
    public IReadOnlyList<PreparedStatement> GetOrAdd(string text, Func<string, IReadOnlyList<PreparedStatement>> prepare)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(text, out var node))
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
                Hits++;
                return node.Value.Statements;
            }
        }
        var statements = prepare(text);
        lock (_lock)
        {
            if (!_map.ContainsKey(text))
            {
                _map[text] = _lru.AddFirst((text, statements));
                if (_map.Count > capacity)
                {
                    _map.Remove(_lru.Last!.Value.Text);
                    _lru.RemoveLast();
                }
            }
        }
        return statements;
    }
}
