using System.Linq.Expressions;
using System.Reflection;

namespace StemeQL.Linq;

/// <summary>
/// Entry points of the LINQ provider: <c>connection.Assertions()</c>, <c>Votes()</c>, <c>Agents()</c> and <c>Status()</c>, the
/// StemeQL-specific operators <see cref="UsingLens"/> and <see cref="AsOf{T}(IQueryable{T}, long)"/>, and
/// <see cref="ToQueryString"/> to see the StemeQL a query runs as. See docs/linq.md.
/// </summary>
public static class StemeQueryableExtensions
{
    /// <summary>
    /// The <c>assertions</c> relation as a query: the ledger, or the resolved rows after <see cref="UsingLens"/>.
    /// Nothing runs until the query is enumerated or ends in an operator such as First or Count.
    /// </summary>
    public static IQueryable<AssertionRow> Assertions(this StemeConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new StemeQueryRoot<AssertionRow>(new StemeQueryProvider(connection), RelationInfo.Assertions);
    }

    /// <summary>The <c>votes</c> relation as a query: every vote ever cast.</summary>
    public static IQueryable<VoteRow> Votes(this StemeConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new StemeQueryRoot<VoteRow>(new StemeQueryProvider(connection), RelationInfo.Votes);
    }

    /// <summary>The <c>agents</c> relation as a query: one row per agent that wrote anything, with its counts and first and last LSN.</summary>
    public static IQueryable<AgentRow> Agents(this StemeConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new StemeQueryRoot<AgentRow>(new StemeQueryProvider(connection), RelationInfo.Agents);
    }

    /// <summary>The one-row <c>stemeql_status</c> relation: how far the write path has got.</summary>
    public static IQueryable<StatusRow> Status(this StemeConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new StemeQueryRoot<StatusRow>(new StemeQueryProvider(connection), RelationInfo.Status);
    }

    /// <summary><c>USING LENS name</c>: one resolved row per (subject, predicate). Call it right after <see cref="Assertions"/>.</summary>
    public static IQueryable<AssertionRow> UsingLens(this IQueryable<AssertionRow> source, Lens lens)
    {
        ArgumentNullException.ThrowIfNull(lens);
        return Compose(source, MethodOf<IQueryable<AssertionRow>, Lens, IQueryable<AssertionRow>>(UsingLens), Expression.Constant(lens));
    }

    /// <summary><c>AS OF LSN lsn</c>: the database as it stood after that LSN.</summary>
    public static IQueryable<T> AsOf<T>(this IQueryable<T> source, long lsn) =>
        Compose(source, MethodOf<IQueryable<T>, long, IQueryable<T>>(AsOf), Expression.Constant(lsn));

    /// <summary><c>AS OF TIMESTAMP t</c>: the database as it stood at that time.</summary>
    public static IQueryable<T> AsOf<T>(this IQueryable<T> source, DateTimeOffset time) =>
        Compose(source, MethodOf<IQueryable<T>, DateTimeOffset, IQueryable<T>>(AsOf), Expression.Constant(time));

    /// <summary>The StemeQL text the query runs as (its captured values appear as <c>@p0</c>, <c>@p1</c>, ...).</summary>
    public static string ToQueryString(this IQueryable source) => Translate(source).Text;

    /// <summary>
    /// A command holding the query's StemeQL text and parameter values, for running it with ADO.NET or
    /// Dapper yourself or inspecting its parameters. The caller disposes it.
    /// </summary>
    public static StemeCommand ToCommand(this IQueryable source)
    {
        var provider = ProviderOf(source);
        return Translate(source).CreateCommand(provider.Connection);
    }

    /// <summary>The query as an <see cref="IAsyncEnumerable{T}"/>: <c>await foreach</c>, or any System.Linq async operator after it (those run in memory).</summary>
    public static IAsyncEnumerable<T> AsAsyncEnumerable<T>(this IQueryable<T> source) =>
        source as IAsyncEnumerable<T> ?? throw NotStemeQuery(source);

    private static TranslatedQuery Translate(IQueryable source)
    {
        ProviderOf(source);
        return QueryTranslator.Translate(source.Expression);
    }

    internal static StemeQueryProvider ProviderOf(IQueryable source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Provider as StemeQueryProvider ?? throw NotStemeQuery(source);
    }

    private static InvalidOperationException NotStemeQuery(IQueryable source) =>
        new($"This operator needs a StemeQL query (from connection.Assertions() or Votes()), not a {source.GetType().Name}.");

    private static IQueryable<T> Compose<T>(IQueryable<T> source, MethodInfo method, Expression argument) =>
        ProviderOf(source).CreateQuery<T>(Expression.Call(null, method, source.Expression, argument));

    private static MethodInfo MethodOf<T1, T2, TResult>(Func<T1, T2, TResult> method) => method.Method;
}
