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

    private readonly Dictionary<string, LinkedListNode<(string Text, IReadOnlyList<PreparedStatement> Statements)>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Text, IReadOnlyList<PreparedStatement> Statements)> _lru = new();
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
        long size = EstimatedBytes(text);
        if (size > maxBytes) return statements;
        lock (_lock)
        {
            if (!_map.ContainsKey(text))
            {
                _map[text] = _lru.AddFirst((text, statements));
                _bytes += size;
                while (_map.Count > capacity || _bytes > maxBytes) RemoveOldest();
            }
        }
        return statements;
    }

    private void RemoveOldest()
    {
        string oldest = _lru.Last!.Value.Text;
        _map.Remove(oldest);
        _lru.RemoveLast();
        _bytes -= EstimatedBytes(oldest);
    }
}
