using System.Collections;
using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary>Marks the root of a query: the relation it reads.</summary>
internal interface IStemeQueryRoot
{
    RelationInfo Relation { get; }
}

/// <summary>A LINQ query over a StemeQL connection; enumerating it (synchronously or not) runs it as one command.</summary>
internal class StemeQueryable<T> : IOrderedQueryable<T>, IAsyncEnumerable<T>
{
    public StemeQueryable(StemeQueryProvider provider, Expression? expression)
    {
        Provider = provider;
        Expression = expression ?? Expression.Constant(this);
    }

    public Type ElementType => typeof(T);

    public Expression Expression { get; }

    public StemeQueryProvider Provider { get; }

    IQueryProvider IQueryable.Provider => Provider;

    public IEnumerator<T> GetEnumerator() => Provider.Enumerate<T>(Expression).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        Provider.EnumerateAsync<T>(Expression, cancellationToken).GetAsyncEnumerator(cancellationToken);

    /// <summary>The StemeQL text of the query (or why it has none), for debuggers.</summary>
    public override string ToString()
    {
        try
        {
            return QueryTranslator.Translate(Expression).Text;
        }
        catch (NotSupportedException e)
        {
            return e.Message;
        }
    }
}

/// <summary>The query a connection's <c>Assertions()</c> / <c>Votes()</c> starts from.</summary>
internal sealed class StemeQueryRoot<T>(StemeQueryProvider provider, RelationInfo relation) : StemeQueryable<T>(provider, null), IStemeQueryRoot
{
    public RelationInfo Relation { get; } = relation;
}
