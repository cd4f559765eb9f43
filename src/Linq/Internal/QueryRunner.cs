using System.Data.Common;
using System.Runtime.CompilerServices;

namespace StemeQL.Linq;

/// <summary>
/// Runs a translated query on a connection as one <see cref="StemeCommand"/>, materializing rows as they
/// stream: the one read loop behind queryables and compiled queries, synchronous and asynchronous.
/// </summary>
internal static class QueryRunner
{
    /// <summary>Runs a query that ends in First, Count, Sum, ... and returns its one result.</summary>
    public static object? Run(TranslatedQuery query, StemeConnection connection, CommandCache? commands = null)
    {
        var collector = ResultOf(query).Start();
        var command = (commands ??= query.Template.Commands).Take(query, connection);
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read() && collector.Add(query.Materialize(ReadRow(reader)))) { }
        }
        finally
        {
            Release(command, commands);
        }
        return collector.Finish();
    }

    /// <summary><see cref="Run"/> without blocking on the reads; a translation failure faults the task.</summary>
    public static async Task<TResult> RunAsync<TResult>(Func<TranslatedQuery> translate, StemeConnection connection, CancellationToken cancellationToken,
        CommandCache? commands = null)
    {
        var query = translate();
        var collector = ResultOf(query).Start();
        var command = (commands ??= query.Template.Commands).Take(query, connection);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && collector.Add(query.Materialize(ReadRow(reader)))) { }
        }
        finally
        {
            Release(command, commands);
        }
        return (TResult)collector.Finish()!;
    }

    /// <summary>The rows of a sequence query; <paramref name="translate"/> runs when enumeration starts.</summary>
    public static IEnumerable<T> Enumerate<T>(Func<TranslatedQuery> translate, StemeConnection connection, CommandCache? commands = null)
    {
        var query = translate();
        var command = (commands ??= query.Template.Commands).Take(query, connection);
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read()) yield return (T)query.Materialize(ReadRow(reader))!;
        }
        finally
        {
            Release(command, commands);
        }
    }

    /// <summary><see cref="Enumerate{T}"/> with <c>ReadAsync</c>.</summary>
    public static async IAsyncEnumerable<T> EnumerateAsync<T>(Func<TranslatedQuery> translate, StemeConnection connection,
        [EnumeratorCancellation] CancellationToken cancellationToken, CommandCache? commands = null)
    {
        var query = translate();
        var command = (commands ??= query.Template.Commands).Take(query, connection);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) yield return (T)query.Materialize(ReadRow(reader))!;
        }
        finally
        {
            Release(command, commands);
        }
    }

    // The command is kept for the next execution of the same translation (a compiled query keeps its own).
    private static void Release(StemeCommand command, CommandCache commands) => commands.Return(command);

    private static ResultOperator ResultOf(TranslatedQuery query) =>
        query.Result ?? throw new InvalidOperationException("This query yields a sequence: enumerate it instead.");

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
