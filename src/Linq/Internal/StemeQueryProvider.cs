using System.Data.Common;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;

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

    public object? Execute(Expression expression) => Run(QueryTranslator.Translate(expression));

    public TResult Execute<TResult>(Expression expression) => (TResult)Run(QueryTranslator.Translate(expression))!;

    /// <summary>Runs a query that ends in First, Count, Sum, ... without blocking on the reads.</summary>
    public async Task<TResult> ExecuteAsync<TResult>(Expression expression, CancellationToken cancellationToken)
    {
        var query = QueryTranslator.Translate(expression);
        var collector = query.Result!.Start();
        await using var command = query.CreateCommand(Connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && collector.Add(query.Materialize(ReadRow(reader)))) { }
        return (TResult)collector.Finish()!;
    }

    public IEnumerable<T> Enumerate<T>(Expression expression)
    {
        var query = QueryTranslator.Translate(expression);
        using var command = query.CreateCommand(Connection);
        using var reader = command.ExecuteReader();
        while (reader.Read()) yield return (T)query.Materialize(ReadRow(reader))!;
    }

    public async IAsyncEnumerable<T> EnumerateAsync<T>(Expression expression, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = QueryTranslator.Translate(expression);
        await using var command = query.CreateCommand(Connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) yield return (T)query.Materialize(ReadRow(reader))!;
    }

    private object? Run(TranslatedQuery query)
    {
        if (query.Result is null) throw new InvalidOperationException("This query yields a sequence: enumerate it instead.");
        var collector = query.Result.Start();
        using var command = query.CreateCommand(Connection);
        using var reader = command.ExecuteReader();
        while (reader.Read() && collector.Add(query.Materialize(ReadRow(reader)))) { }
        return collector.Finish();
    }

    private static object?[] ReadRow(DbDataReader reader)
    {
        var values = new object?[reader.FieldCount];
        reader.GetValues(values!);
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is DBNull) values[i] = null;
        }
        return values;
    }
}
