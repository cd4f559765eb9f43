using System.Collections.Concurrent;
using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary>
/// Translations by expression shape (<see cref="ExpressionShape"/> of the query after its captured values
/// are taken out), so a repeated LINQ query with new values is neither translated nor printed again: its
/// template is bound to the new values. A template is reused only while the facts its translation read
/// from the values (a value's type, whether it is null, a Take count) still hold.
/// </summary>
internal static class TranslationCache
{
    private const int Limit = 1024;
    private static readonly ConcurrentDictionary<Expression, QueryTemplate> Templates = new(ExpressionShape.Instance);
    private static long _translations;

    /// <summary>How many translations ran (cache misses), for tests.</summary>
    public static long Translations => Interlocked.Read(ref _translations);

    /// <summary>The template for <paramref name="query"/> (captured values already taken out into <paramref name="captured"/>).</summary>
    public static QueryTemplate GetOrTranslate(Expression query, CapturedValues captured, Func<Expression, QueryTemplate> translate)
    {
        if (Templates.TryGetValue(query, out var cached) && CapturedValues.Satisfies(cached.Facts, captured.Values)) return cached;
        Interlocked.Increment(ref _translations);
        var template = translate(query);
        template.Facts = captured.Facts;
        // Bounded: an application with endless query shapes translates again rather than grows.
        if (Templates.Count >= Limit) Templates.Clear();
        Templates[query] = template;
        return template;
    }
}
