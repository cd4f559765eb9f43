namespace StemeQL.Planner.Execution;

/// <summary>
/// A bounded, thread-safe LRU cache of prepared statements keyed by command text, shared by every
/// connection of the process, so a repeated or prepared command is not parsed or planned again.
/// It is bounded by entries and by an estimate of the memory its entries hold.
/// </summary>
/// <param name="capacity">The most command texts kept.</param>
/// <param name="maxBytes">The most estimated bytes kept (see <see cref="EstimatedBytes"/>); a text larger than this is not cached.</param>
public sealed class PlanCache(int capacity, long maxBytes = PlanCache.DefaultMaxBytes)
{
    /// <summary>The default memory bound of a cache: 64 MiB, estimated.</summary>
    public const long DefaultMaxBytes = 64L << 20;

    // Keyed by scope and text apart, so a lookup builds no key string.
    private readonly Dictionary<PlanKey, LinkedListNode<(PlanKey Key, IReadOnlyList<PreparedStatement> Statements)>> _map = new();
    private readonly LinkedList<(PlanKey Key, IReadOnlyList<PreparedStatement> Statements)> _lru = new();
    private readonly Lock _lock = new();
    private long _bytes;

    /// <summary>The process-wide cache.</summary>
    public static readonly PlanCache Shared = new(512);

    /// <summary>How many lookups were answered from the cache (for tests and diagnostics).</summary>
    public long Hits { get; private set; }

    /// <summary>The number of cached command texts.</summary>
    public int Count { get { lock (_lock) return _map.Count; } }

    /// <summary>The estimated bytes the cached entries hold.</summary>
    public long Bytes { get { lock (_lock) return _bytes; } }

    /// <summary>
    /// The estimated memory of a cached entry: the text (2 bytes a character) plus its syntax tree and
    /// plan, which measured about 10 bytes per character of text (600 commands of 469 KB held 2.8 GB);
    /// 16 per character over-estimates on purpose, plus a fixed 1 KB per entry.
    /// </summary>
    public static long EstimatedBytes(string text) => 1024 + 16L * text.Length;

    /// <summary>The cached statements for <paramref name="text"/>, or those <paramref name="prepare"/> makes (errors are not cached).</summary>
    public IReadOnlyList<PreparedStatement> GetOrAdd(string text, Func<string, IReadOnlyList<PreparedStatement>> prepare) =>
        GetOrAdd("", text, (text, prepare), static s => s.prepare(s.text));

    /// <summary>
    /// The cached statements for <paramref name="text"/> in <paramref name="scope"/> (what else the plans
    /// depend on, such as the lenses a store materializes), or those <paramref name="prepare"/> makes from
    /// <paramref name="state"/> (errors are not cached). A static lambda and a struct state allocate nothing on a hit.
    /// </summary>
    public IReadOnlyList<PreparedStatement> GetOrAdd<TState>(string scope, string text, TState state, Func<TState, IReadOnlyList<PreparedStatement>> prepare)
    {
        var key = new PlanKey(scope, text);
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var node))
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
                Hits++;
                return node.Value.Statements;
            }
        }
        var statements = prepare(state);
        long size = EstimatedBytes(text);
        if (size > maxBytes) return statements;
        lock (_lock)
        {
            if (!_map.ContainsKey(key))
            {
                _map[key] = _lru.AddFirst((key, statements));
                _bytes += size;
                while (_map.Count > capacity || _bytes > maxBytes) RemoveOldest();
            }
        }
        return statements;
    }

    private void RemoveOldest()
    {
        var oldest = _lru.Last!.Value.Key;
        _map.Remove(oldest);
        _lru.RemoveLast();
        _bytes -= EstimatedBytes(oldest.Text);
    }
}

/// <summary>A plan cache key: the scope (what the plans depend on besides the text) and the command text.</summary>
internal readonly record struct PlanKey(string Scope, string Text);
