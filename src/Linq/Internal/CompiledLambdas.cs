using System.Collections.Concurrent;
using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary>
/// Compiled lambdas by <see cref="ExpressionKey"/>: a projection or a captured-value reader of a shape
/// compiled once is reused by every query of that shape (compiling costs milliseconds).
/// </summary>
internal static class CompiledLambdas
{
    private const int Limit = 1024;
    private static readonly ConcurrentDictionary<string, Delegate> Compiled = new(StringComparer.Ordinal);

    /// <summary>The compiled <paramref name="lambda"/>, from the cache when one of the same shape was compiled before.</summary>
    public static TDelegate Get<TDelegate>(Expression<TDelegate> lambda) where TDelegate : Delegate
    {
        string key = ExpressionKey.Of(lambda);
        if (Compiled.TryGetValue(key, out var cached)) return (TDelegate)cached;
        var compiled = lambda.Compile();
        // Bounded: an application with endless shapes recompiles rather than grows.
        if (Compiled.Count >= Limit) Compiled.Clear();
        Compiled.TryAdd(key, compiled);
        return compiled;
    }
}
