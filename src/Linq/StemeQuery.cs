using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary>
/// Compiled LINQ queries, in the spirit of EF Core's <c>EF.CompileQuery</c>: the query is written once as a
/// lambda over a connection and parameters, translated on its first execution, and every later execution
/// binds its arguments to that translation without building or walking an expression tree. See docs/linq.md.
/// </summary>
/// <example><code>
/// static readonly Func&lt;StemeConnection, string, CancellationToken, Task&lt;AssertionRow?&gt;&gt; CapitalOf =
///     StemeQuery.CompileAsync((StemeConnection db, string city) =&gt; db.Assertions().UsingLens(Lens.Consensus)
///         .Where(a =&gt; a.Subject == city &amp;&amp; a.Predicate == "capital_of").FirstOrDefault());
///
/// var capital = await CapitalOf(connection, "paris", cancellationToken);
/// </code></example>
public static class StemeQuery
{
    /// <summary>A sequence query with 0 parameter(s), compiled once; the delegate's rows are read when it is enumerated.</summary>
    public static Func<StemeConnection, IEnumerable<TResult>> Compile<TResult>(Expression<Func<StemeConnection, IQueryable<TResult>>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db) => Sequence<TResult>(compiled, db, []);
    }

    /// <summary>A sorted sequence query with 0 parameter(s), compiled once (this overload keeps OrderBy's result a sequence).</summary>
    public static Func<StemeConnection, IEnumerable<TResult>> Compile<TResult>(Expression<Func<StemeConnection, IOrderedQueryable<TResult>>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db) => Sequence<TResult>(compiled, db, []);
    }

    /// <summary>A query ending in First, Single, Any, Count, Sum, ... with 0 parameter(s), compiled once.</summary>
    public static Func<StemeConnection, TResult> Compile<TResult>(Expression<Func<StemeConnection, TResult>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db) => Scalar<TResult>(compiled, db, []);
    }

    /// <summary>A sequence query with 0 parameter(s), compiled once, read with <c>ReadAsync</c> (cancel with <c>WithCancellation</c>).</summary>
    public static Func<StemeConnection, IAsyncEnumerable<TResult>> CompileAsync<TResult>(Expression<Func<StemeConnection, IQueryable<TResult>>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db) => SequenceAsync<TResult>(compiled, db, []);
    }

    /// <summary>A sorted sequence query with 0 parameter(s), compiled once, read with <c>ReadAsync</c>.</summary>
    public static Func<StemeConnection, IAsyncEnumerable<TResult>> CompileAsync<TResult>(Expression<Func<StemeConnection, IOrderedQueryable<TResult>>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db) => SequenceAsync<TResult>(compiled, db, []);
    }

    /// <summary>A query ending in First, Single, Any, Count, Sum, ... with 0 parameter(s), compiled once; the delegate's last argument cancels it.</summary>
    public static Func<StemeConnection, CancellationToken, Task<TResult>> CompileAsync<TResult>(Expression<Func<StemeConnection, TResult>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db, cancellationToken) => ScalarAsync<TResult>(compiled, db, [], cancellationToken);
    }

    /// <summary>A sequence query with 1 parameter(s), compiled once; the delegate's rows are read when it is enumerated.</summary>
    public static Func<StemeConnection, T1, IEnumerable<TResult>> Compile<T1, TResult>(Expression<Func<StemeConnection, T1, IQueryable<TResult>>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db, t1) => Sequence<TResult>(compiled, db, [t1]);
    }

    /// <summary>A sorted sequence query with 1 parameter(s), compiled once (this overload keeps OrderBy's result a sequence).</summary>
    public static Func<StemeConnection, T1, IEnumerable<TResult>> Compile<T1, TResult>(Expression<Func<StemeConnection, T1, IOrderedQueryable<TResult>>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db, t1) => Sequence<TResult>(compiled, db, [t1]);
    }

    /// <summary>A query ending in First, Single, Any, Count, Sum, ... with 1 parameter(s), compiled once.</summary>
    public static Func<StemeConnection, T1, TResult> Compile<T1, TResult>(Expression<Func<StemeConnection, T1, TResult>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db, t1) => Scalar<TResult>(compiled, db, [t1]);
    }

    /// <summary>A sequence query with 1 parameter(s), compiled once, read with <c>ReadAsync</c> (cancel with <c>WithCancellation</c>).</summary>
    public static Func<StemeConnection, T1, IAsyncEnumerable<TResult>> CompileAsync<T1, TResult>(Expression<Func<StemeConnection, T1, IQueryable<TResult>>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db, t1) => SequenceAsync<TResult>(compiled, db, [t1]);
    }

    /// <summary>A sorted sequence query with 1 parameter(s), compiled once, read with <c>ReadAsync</c>.</summary>
    public static Func<StemeConnection, T1, IAsyncEnumerable<TResult>> CompileAsync<T1, TResult>(Expression<Func<StemeConnection, T1, IOrderedQueryable<TResult>>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db, t1) => SequenceAsync<TResult>(compiled, db, [t1]);
    }

    /// <summary>A query ending in First, Single, Any, Count, Sum, ... with 1 parameter(s), compiled once; the delegate's last argument cancels it.</summary>
    public static Func<StemeConnection, T1, CancellationToken, Task<TResult>> CompileAsync<T1, TResult>(Expression<Func<StemeConnection, T1, TResult>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db, t1, cancellationToken) => ScalarAsync<TResult>(compiled, db, [t1], cancellationToken);
    }

    /// <summary>A sequence query with 2 parameter(s), compiled once; the delegate's rows are read when it is enumerated.</summary>
    public static Func<StemeConnection, T1, T2, IEnumerable<TResult>> Compile<T1, T2, TResult>(Expression<Func<StemeConnection, T1, T2, IQueryable<TResult>>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db, t1, t2) => Sequence<TResult>(compiled, db, [t1, t2]);
    }

    /// <summary>A sorted sequence query with 2 parameter(s), compiled once (this overload keeps OrderBy's result a sequence).</summary>
    public static Func<StemeConnection, T1, T2, IEnumerable<TResult>> Compile<T1, T2, TResult>(Expression<Func<StemeConnection, T1, T2, IOrderedQueryable<TResult>>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db, t1, t2) => Sequence<TResult>(compiled, db, [t1, t2]);
    }

    /// <summary>A query ending in First, Single, Any, Count, Sum, ... with 2 parameter(s), compiled once.</summary>
    public static Func<StemeConnection, T1, T2, TResult> Compile<T1, T2, TResult>(Expression<Func<StemeConnection, T1, T2, TResult>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db, t1, t2) => Scalar<TResult>(compiled, db, [t1, t2]);
    }

    /// <summary>A sequence query with 2 parameter(s), compiled once, read with <c>ReadAsync</c> (cancel with <c>WithCancellation</c>).</summary>
    public static Func<StemeConnection, T1, T2, IAsyncEnumerable<TResult>> CompileAsync<T1, T2, TResult>(Expression<Func<StemeConnection, T1, T2, IQueryable<TResult>>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db, t1, t2) => SequenceAsync<TResult>(compiled, db, [t1, t2]);
    }

    /// <summary>A sorted sequence query with 2 parameter(s), compiled once, read with <c>ReadAsync</c>.</summary>
    public static Func<StemeConnection, T1, T2, IAsyncEnumerable<TResult>> CompileAsync<T1, T2, TResult>(Expression<Func<StemeConnection, T1, T2, IOrderedQueryable<TResult>>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db, t1, t2) => SequenceAsync<TResult>(compiled, db, [t1, t2]);
    }

    /// <summary>A query ending in First, Single, Any, Count, Sum, ... with 2 parameter(s), compiled once; the delegate's last argument cancels it.</summary>
    public static Func<StemeConnection, T1, T2, CancellationToken, Task<TResult>> CompileAsync<T1, T2, TResult>(Expression<Func<StemeConnection, T1, T2, TResult>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db, t1, t2, cancellationToken) => ScalarAsync<TResult>(compiled, db, [t1, t2], cancellationToken);
    }

    /// <summary>A sequence query with 3 parameter(s), compiled once; the delegate's rows are read when it is enumerated.</summary>
    public static Func<StemeConnection, T1, T2, T3, IEnumerable<TResult>> Compile<T1, T2, T3, TResult>(Expression<Func<StemeConnection, T1, T2, T3, IQueryable<TResult>>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db, t1, t2, t3) => Sequence<TResult>(compiled, db, [t1, t2, t3]);
    }

    /// <summary>A sorted sequence query with 3 parameter(s), compiled once (this overload keeps OrderBy's result a sequence).</summary>
    public static Func<StemeConnection, T1, T2, T3, IEnumerable<TResult>> Compile<T1, T2, T3, TResult>(Expression<Func<StemeConnection, T1, T2, T3, IOrderedQueryable<TResult>>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db, t1, t2, t3) => Sequence<TResult>(compiled, db, [t1, t2, t3]);
    }

    /// <summary>A query ending in First, Single, Any, Count, Sum, ... with 3 parameter(s), compiled once.</summary>
    public static Func<StemeConnection, T1, T2, T3, TResult> Compile<T1, T2, T3, TResult>(Expression<Func<StemeConnection, T1, T2, T3, TResult>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db, t1, t2, t3) => Scalar<TResult>(compiled, db, [t1, t2, t3]);
    }

    /// <summary>A sequence query with 3 parameter(s), compiled once, read with <c>ReadAsync</c> (cancel with <c>WithCancellation</c>).</summary>
    public static Func<StemeConnection, T1, T2, T3, IAsyncEnumerable<TResult>> CompileAsync<T1, T2, T3, TResult>(Expression<Func<StemeConnection, T1, T2, T3, IQueryable<TResult>>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db, t1, t2, t3) => SequenceAsync<TResult>(compiled, db, [t1, t2, t3]);
    }

    /// <summary>A sorted sequence query with 3 parameter(s), compiled once, read with <c>ReadAsync</c>.</summary>
    public static Func<StemeConnection, T1, T2, T3, IAsyncEnumerable<TResult>> CompileAsync<T1, T2, T3, TResult>(Expression<Func<StemeConnection, T1, T2, T3, IOrderedQueryable<TResult>>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db, t1, t2, t3) => SequenceAsync<TResult>(compiled, db, [t1, t2, t3]);
    }

    /// <summary>A query ending in First, Single, Any, Count, Sum, ... with 3 parameter(s), compiled once; the delegate's last argument cancels it.</summary>
    public static Func<StemeConnection, T1, T2, T3, CancellationToken, Task<TResult>> CompileAsync<T1, T2, T3, TResult>(Expression<Func<StemeConnection, T1, T2, T3, TResult>> query)
    {
        var compiled = CompiledQuery.Create(query);
        return (db, t1, t2, t3, cancellationToken) => ScalarAsync<TResult>(compiled, db, [t1, t2, t3], cancellationToken);
    }

    private static IEnumerable<TResult> Sequence<TResult>(CompiledQuery compiled, StemeConnection db, object?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(db);
        return QueryRunner.Enumerate<TResult>(() => compiled.Bind(arguments), db, compiled.Commands);
    }

    private static TResult Scalar<TResult>(CompiledQuery compiled, StemeConnection db, object?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(db);
        return (TResult)QueryRunner.Run(compiled.Bind(arguments), db, compiled.Commands)!;
    }

    private static IAsyncEnumerable<TResult> SequenceAsync<TResult>(CompiledQuery compiled, StemeConnection db, object?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(db);
        // The async iterator joins the token given to GetAsyncEnumerator (WithCancellation) to this one.
        return QueryRunner.EnumerateAsync<TResult>(() => compiled.Bind(arguments), db, CancellationToken.None, compiled.Commands);
    }

    private static Task<TResult> ScalarAsync<TResult>(CompiledQuery compiled, StemeConnection db, object?[] arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return QueryRunner.RunAsync<TResult>(() => compiled.Bind(arguments), db, cancellationToken, compiled.Commands);
    }
}
