using StemeQL.Planner.Syntax;

namespace StemeQL.Linq;

/// <summary>A LINQ query as one StemeQL SELECT: its syntax tree, its parameters and how to read its rows back.</summary>
internal sealed class TranslatedQuery(SelectStatement statement, IReadOnlyList<KeyValuePair<string, object?>> parameters,
    Func<object?[], object?> materialize, ResultOperator? result)
{
    private string? _text;

    public SelectStatement Statement { get; } = statement;

    /// <summary>The StemeQL text, printed from <see cref="Statement"/>.</summary>
    public string Text => _text ??= SyntaxPrinter.Print(Statement);

    public IReadOnlyList<KeyValuePair<string, object?>> Parameters { get; } = parameters;

    /// <summary>Builds one element from one row's values (NULL as null).</summary>
    public Func<object?[], object?> Materialize { get; } = materialize;

    /// <summary>Null for a query that yields a sequence.</summary>
    public ResultOperator? Result { get; } = result;

    /// <summary>A command for the query on <paramref name="connection"/>, in its transaction if one is in progress.</summary>
    public StemeCommand CreateCommand(StemeConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = Text;
        foreach (var (name, value) in Parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }
}
