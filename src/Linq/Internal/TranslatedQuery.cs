using StemeQL.Planner.Syntax;

namespace StemeQL.Linq;

/// <summary>A LINQ query as one StemeQL SELECT with its values bound: its text, its parameters and how to read its rows back.</summary>
internal sealed class TranslatedQuery(QueryTemplate template, IReadOnlyList<KeyValuePair<string, object?>> parameters, object?[] constants)
{
    /// <summary>The translation this query binds values to (shared by every query of its shape).</summary>
    public QueryTemplate Template => template;

    public SelectStatement Statement => template.Statement;

    /// <summary>The StemeQL text, printed from <see cref="Statement"/>.</summary>
    public string Text => template.Text;

    public IReadOnlyList<KeyValuePair<string, object?>> Parameters { get; } = parameters;

    /// <summary>Null for a query that yields a sequence.</summary>
    public ResultOperator? Result => template.Result;

    /// <summary>Builds one element from one row's values (NULL as null).</summary>
    public object? Materialize(object?[] values) => template.Materialize(values, constants);

    /// <summary>A command for the query on <paramref name="connection"/>, in its transaction if one is in progress.</summary>
    public StemeCommand CreateCommand(StemeConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = Text;
        foreach (var (name, value) in Parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }
}
