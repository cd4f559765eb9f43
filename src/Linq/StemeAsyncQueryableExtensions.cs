using System.Linq.Expressions;
using System.Reflection;

namespace StemeQL.Linq;

/// <summary>
/// Asynchronous counterparts of the LINQ operators that end a query. Each translates exactly like its
/// synchronous form (<c>CountAsync()</c> runs <c>SELECT count(*)</c>) and reads with <c>ReadAsync</c>,
/// observing the cancellation token throughout.
/// </summary>
public static class StemeAsyncQueryableExtensions
{
    /// <summary>Runs the query and collects its rows.</summary>
    public static async Task<List<T>> ToListAsync<T>(this IQueryable<T> source, CancellationToken cancellationToken = default)
    {
        var list = new List<T>();
        await foreach (var item in source.AsAsyncEnumerable().WithCancellation(cancellationToken).ConfigureAwait(false)) list.Add(item);
        return list;
    }

    /// <summary>Runs the query and collects its rows into an array.</summary>
    public static async Task<T[]> ToArrayAsync<T>(this IQueryable<T> source, CancellationToken cancellationToken = default) =>
        [.. await source.ToListAsync(cancellationToken).ConfigureAwait(false)];

    /// <summary>Asynchronous <see cref="Queryable.First{TSource}(IQueryable{TSource})"/>.</summary>
    public static Task<T> FirstAsync<T>(this IQueryable<T> source, CancellationToken cancellationToken = default) =>
        Run<T, T>(source, new Func<IQueryable<T>, T>(Queryable.First).Method, null, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.First{TSource}(IQueryable{TSource}, Expression{Func{TSource, bool}})"/>.</summary>
    public static Task<T> FirstAsync<T>(this IQueryable<T> source, Expression<Func<T, bool>> predicate, CancellationToken cancellationToken = default) =>
        Run<T, T>(source, new Func<IQueryable<T>, Expression<Func<T, bool>>, T>(Queryable.First).Method, predicate, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.FirstOrDefault{TSource}(IQueryable{TSource})"/>.</summary>
    public static Task<T?> FirstOrDefaultAsync<T>(this IQueryable<T> source, CancellationToken cancellationToken = default) =>
        Run<T, T?>(source, new Func<IQueryable<T>, T?>(Queryable.FirstOrDefault).Method, null, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.FirstOrDefault{TSource}(IQueryable{TSource}, Expression{Func{TSource, bool}})"/>.</summary>
    public static Task<T?> FirstOrDefaultAsync<T>(this IQueryable<T> source, Expression<Func<T, bool>> predicate, CancellationToken cancellationToken = default) =>
        Run<T, T?>(source, new Func<IQueryable<T>, Expression<Func<T, bool>>, T?>(Queryable.FirstOrDefault).Method, predicate, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.Single{TSource}(IQueryable{TSource})"/>.</summary>
    public static Task<T> SingleAsync<T>(this IQueryable<T> source, CancellationToken cancellationToken = default) =>
        Run<T, T>(source, new Func<IQueryable<T>, T>(Queryable.Single).Method, null, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.Single{TSource}(IQueryable{TSource}, Expression{Func{TSource, bool}})"/>.</summary>
    public static Task<T> SingleAsync<T>(this IQueryable<T> source, Expression<Func<T, bool>> predicate, CancellationToken cancellationToken = default) =>
        Run<T, T>(source, new Func<IQueryable<T>, Expression<Func<T, bool>>, T>(Queryable.Single).Method, predicate, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.SingleOrDefault{TSource}(IQueryable{TSource})"/>.</summary>
    public static Task<T?> SingleOrDefaultAsync<T>(this IQueryable<T> source, CancellationToken cancellationToken = default) =>
        Run<T, T?>(source, new Func<IQueryable<T>, T?>(Queryable.SingleOrDefault).Method, null, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.SingleOrDefault{TSource}(IQueryable{TSource}, Expression{Func{TSource, bool}})"/>.</summary>
    public static Task<T?> SingleOrDefaultAsync<T>(this IQueryable<T> source, Expression<Func<T, bool>> predicate, CancellationToken cancellationToken = default) =>
        Run<T, T?>(source, new Func<IQueryable<T>, Expression<Func<T, bool>>, T?>(Queryable.SingleOrDefault).Method, predicate, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.Any{TSource}(IQueryable{TSource})"/>.</summary>
    public static Task<bool> AnyAsync<T>(this IQueryable<T> source, CancellationToken cancellationToken = default) =>
        Run<T, bool>(source, new Func<IQueryable<T>, bool>(Queryable.Any).Method, null, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.Any{TSource}(IQueryable{TSource}, Expression{Func{TSource, bool}})"/>.</summary>
    public static Task<bool> AnyAsync<T>(this IQueryable<T> source, Expression<Func<T, bool>> predicate, CancellationToken cancellationToken = default) =>
        Run<T, bool>(source, new Func<IQueryable<T>, Expression<Func<T, bool>>, bool>(Queryable.Any).Method, predicate, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.All{TSource}(IQueryable{TSource}, Expression{Func{TSource, bool}})"/>.</summary>
    public static Task<bool> AllAsync<T>(this IQueryable<T> source, Expression<Func<T, bool>> predicate, CancellationToken cancellationToken = default) =>
        Run<T, bool>(source, new Func<IQueryable<T>, Expression<Func<T, bool>>, bool>(Queryable.All).Method, predicate, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.Count{TSource}(IQueryable{TSource})"/>.</summary>
    public static Task<int> CountAsync<T>(this IQueryable<T> source, CancellationToken cancellationToken = default) =>
        Run<T, int>(source, new Func<IQueryable<T>, int>(Queryable.Count).Method, null, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.Count{TSource}(IQueryable{TSource}, Expression{Func{TSource, bool}})"/>.</summary>
    public static Task<int> CountAsync<T>(this IQueryable<T> source, Expression<Func<T, bool>> predicate, CancellationToken cancellationToken = default) =>
        Run<T, int>(source, new Func<IQueryable<T>, Expression<Func<T, bool>>, int>(Queryable.Count).Method, predicate, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.LongCount{TSource}(IQueryable{TSource})"/>.</summary>
    public static Task<long> LongCountAsync<T>(this IQueryable<T> source, CancellationToken cancellationToken = default) =>
        Run<T, long>(source, new Func<IQueryable<T>, long>(Queryable.LongCount).Method, null, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.Sum{TSource}(IQueryable{TSource}, Expression{Func{TSource, long}})"/>.</summary>
    public static Task<long> SumAsync<T>(this IQueryable<T> source, Expression<Func<T, long>> selector, CancellationToken cancellationToken = default) =>
        Run<T, long>(source, new Func<IQueryable<T>, Expression<Func<T, long>>, long>(Queryable.Sum).Method, selector, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.Sum{TSource}(IQueryable{TSource}, Expression{Func{TSource, int}})"/>.</summary>
    public static Task<int> SumAsync<T>(this IQueryable<T> source, Expression<Func<T, int>> selector, CancellationToken cancellationToken = default) =>
        Run<T, int>(source, new Func<IQueryable<T>, Expression<Func<T, int>>, int>(Queryable.Sum).Method, selector, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.Sum{TSource}(IQueryable{TSource}, Expression{Func{TSource, double}})"/>.</summary>
    public static Task<double> SumAsync<T>(this IQueryable<T> source, Expression<Func<T, double>> selector, CancellationToken cancellationToken = default) =>
        Run<T, double>(source, new Func<IQueryable<T>, Expression<Func<T, double>>, double>(Queryable.Sum).Method, selector, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.Sum{TSource}(IQueryable{TSource}, Expression{Func{TSource, double?}})"/>.</summary>
    public static Task<double?> SumAsync<T>(this IQueryable<T> source, Expression<Func<T, double?>> selector, CancellationToken cancellationToken = default) =>
        Run<T, double?>(source, new Func<IQueryable<T>, Expression<Func<T, double?>>, double?>(Queryable.Sum).Method, selector, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.Average{TSource}(IQueryable{TSource}, Expression{Func{TSource, long}})"/>.</summary>
    public static Task<double> AverageAsync<T>(this IQueryable<T> source, Expression<Func<T, long>> selector, CancellationToken cancellationToken = default) =>
        Run<T, double>(source, new Func<IQueryable<T>, Expression<Func<T, long>>, double>(Queryable.Average).Method, selector, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.Average{TSource}(IQueryable{TSource}, Expression{Func{TSource, double}})"/>.</summary>
    public static Task<double> AverageAsync<T>(this IQueryable<T> source, Expression<Func<T, double>> selector, CancellationToken cancellationToken = default) =>
        Run<T, double>(source, new Func<IQueryable<T>, Expression<Func<T, double>>, double>(Queryable.Average).Method, selector, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.Average{TSource}(IQueryable{TSource}, Expression{Func{TSource, double?}})"/>.</summary>
    public static Task<double?> AverageAsync<T>(this IQueryable<T> source, Expression<Func<T, double?>> selector, CancellationToken cancellationToken = default) =>
        Run<T, double?>(source, new Func<IQueryable<T>, Expression<Func<T, double?>>, double?>(Queryable.Average).Method, selector, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.Min{TSource, TResult}(IQueryable{TSource}, Expression{Func{TSource, TResult}})"/>.</summary>
    public static Task<TResult?> MinAsync<T, TResult>(this IQueryable<T> source, Expression<Func<T, TResult>> selector, CancellationToken cancellationToken = default) =>
        Run<T, TResult?>(source, new Func<IQueryable<T>, Expression<Func<T, TResult>>, TResult?>(Queryable.Min).Method, selector, cancellationToken);

    /// <summary>Asynchronous <see cref="Queryable.Max{TSource, TResult}(IQueryable{TSource}, Expression{Func{TSource, TResult}})"/>.</summary>
    public static Task<TResult?> MaxAsync<T, TResult>(this IQueryable<T> source, Expression<Func<T, TResult>> selector, CancellationToken cancellationToken = default) =>
        Run<T, TResult?>(source, new Func<IQueryable<T>, Expression<Func<T, TResult>>, TResult?>(Queryable.Max).Method, selector, cancellationToken);

    private static Task<TResult> Run<T, TResult>(IQueryable<T> source, MethodInfo method, LambdaExpression? argument, CancellationToken cancellationToken)
    {
        var provider = StemeQueryableExtensions.ProviderOf(source);
        var call = argument is null
            ? Expression.Call(null, method, source.Expression)
            : Expression.Call(null, method, source.Expression, Expression.Quote(argument));
        return provider.ExecuteAsync<TResult>(call, cancellationToken);
    }
}
