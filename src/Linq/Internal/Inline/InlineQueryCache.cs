using System.Collections.Concurrent;
using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary>
/// The cache behind LINQ queries written inline, in the manner of EF Core's query cache but without rewriting
/// the tree: one <see cref="QueryShapeWalk"/> both computes the key and finds the captured values, a cached
/// <see cref="InlineQuery"/> of the same shape reads them with compiled readers, and its translation is bound
/// to them. A miss (or a tree the walk does not know) takes the general path: the <see cref="Funcletizer"/>
/// and the <see cref="TranslationCache"/>.
/// </summary>
internal static class InlineQueryCache
{
    private const int Limit = 1024;
    private static readonly ConcurrentDictionary<int, InlineQuery[]> ByHash = new();
    private static int _count;
    [ThreadStatic] private static int t_misses;

    /// <summary>How many queries this thread ran that found no cached shape, for tests.</summary>
    internal static int MissesOnThisThread => t_misses;

    /// <summary>The query with this execution's values bound.</summary>
    public static TranslatedQuery Translate(Expression expression)
    {
        var walk = QueryShapeWalk.Of(expression);
        try
        {
            if (!walk.Supported)
            {
                t_misses++;
                return General(expression);
            }
            return Find(walk) is { } cached ? Bind(cached, walk, expression) : Add(walk, expression);
        }
        finally
        {
            walk.Return();
        }
    }

    /// <summary>The cached shape of <paramref name="expression"/>, or null, for tests.</summary>
    internal static InlineQuery? Lookup(Expression expression)
    {
        var walk = QueryShapeWalk.Of(expression);
        try
        {
            return walk.Supported ? Find(walk) : null;
        }
        finally
        {
            walk.Return();
        }
    }

    private static InlineQuery? Find(QueryShapeWalk walk)
    {
        if (!ByHash.TryGetValue(walk.Hash, out var candidates)) return null;
        foreach (var candidate in candidates)
        {
            if (candidate.Matches(walk)) return candidate;
        }
        return null;
    }

    private static TranslatedQuery Bind(InlineQuery cached, QueryShapeWalk walk, Expression expression)
    {
        var values = cached.Read(walk);
        if (cached.TemplateFor(values) is { } template) return template.Bind(values);
        // A fact the translations read no longer holds (a null where there was a value): translate with the
        // values already read, in the Funcletizer's order, so nothing the query captured is evaluated twice.
        int next = 0;
        var (query, captured) = Funcletizer.Capture(expression, _ => values[next++]);
        template = TranslationCache.GetOrTranslate(query, captured, QueryTranslator.Compose);
        cached.Add(template);
        return template.Bind(captured.Values);
    }

    private static TranslatedQuery Add(QueryShapeWalk walk, Expression expression)
    {
        t_misses++;
        var nodes = new List<Expression>();
        var (query, captured) = Funcletizer.Capture(expression, node =>
        {
            nodes.Add(node);
            return Funcletizer.Evaluate(node);
        });
        var template = TranslationCache.GetOrTranslate(query, captured, QueryTranslator.Compose);
        // Cached only when the walk found exactly the values the Funcletizer captured; otherwise this shape
        // keeps taking the general path, which is slower but the same translation.
        if (PositionsOf(walk, nodes) is { } positions)
        {
            var entry = new InlineQuery(walk, positions);
            entry.Add(template);
            Store(entry);
        }
        return template.Bind(captured.Values);
    }

    private static TranslatedQuery General(Expression expression)
    {
        var (query, captured) = Funcletizer.Capture(expression);
        return TranslationCache.GetOrTranslate(query, captured, QueryTranslator.Compose).Bind(captured.Values);
    }

    // For each value the walk found, its position among the nodes the Funcletizer captured (null if they differ).
    private static int[]? PositionsOf(QueryShapeWalk walk, List<Expression> captured)
    {
        if (walk.Slots.Count != captured.Count) return null;
        var positions = new int[captured.Count];
        for (int i = 0; i < positions.Length; i++)
        {
            positions[i] = captured.FindIndex(node => ReferenceEquals(node, walk.Slots[i].Node));
            if (positions[i] < 0) return null;
        }
        return positions;
    }

    private static void Store(InlineQuery entry)
    {
        // Bounded: an application with endless query shapes translates again rather than grows.
        if (Interlocked.Increment(ref _count) > Limit)
        {
            ByHash.Clear();
            Interlocked.Exchange(ref _count, 1);
        }
        ByHash.AddOrUpdate(entry.Hash, static (_, e) => [e], static (_, list, e) => [.. list, e], entry);
    }
}
