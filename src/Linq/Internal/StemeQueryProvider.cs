using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary>Runs translated queries on one connection: one StemeCommand per execution, rows materialized as they stream.</summary>
internal sealed class StemeQueryProvider(StemeConnection connection) : IQueryProvider
{
    public StemeConnection Connection { get; } = connection;

    public IQueryable CreateQuery(Expression expression)
    {
        var elementType = expression.Type.GetInterfaces().Append(expression.Type)
            .First(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IQueryable<>)).GetGenericArguments()[0];
        return (IQueryable)Activator.CreateInstance(typeof(StemeQueryable<>).MakeGenericType(elementType), this, expression)!;
    }

    public IQueryable<TElement> CreateQuery<TElement>(Expression expression) => new StemeQueryable<TElement>(this, expression);

    public object? Execute(Expression expression) => QueryRunner.Run(QueryTranslator.Translate(expression), Connection);

    public TResult Execute<TResult>(Expression expression) => (TResult)QueryRunner.Run(QueryTranslator.Translate(expression), Connection)!;

    /// <summary>Runs a query that ends in First, Count, Sum, ... without blocking on the reads.</summary>
    public Task<TResult> ExecuteAsync<TResult>(Expression expression, CancellationToken cancellationToken) =>
        QueryRunner.RunAsync<TResult>(() => QueryTranslator.Translate(expression), Connection, cancellationToken);

    public IEnumerable<T> Enumerate<T>(Expression expression) => QueryRunner.Enumerate<T>(() => QueryTranslator.Translate(expression), Connection);

    public IAsyncEnumerable<T> EnumerateAsync<T>(Expression expression, CancellationToken cancellationToken) =>
        QueryRunner.EnumerateAsync<T>(() => QueryTranslator.Translate(expression), Connection, cancellationToken);
}
