using StemeQL.Planner.Syntax;

namespace StemeQL.Linq;

/// <summary>
/// A translated LINQ query before its values are bound: the StemeQL SELECT, where each parameter and
/// projection constant comes from, how rows are read back, and the facts about captured values the
/// translation relied on. One template serves every execution of the same expression shape.
/// </summary>
internal sealed class QueryTemplate(SelectStatement statement, IReadOnlyList<KeyValuePair<string, ValueSource>> parameters,
    Func<object?[], object?[], object?> materialize, ValueSource[] constants, ResultOperator? result)
{
    public SelectStatement Statement { get; } = statement;

    /// <summary>The StemeQL text, printed once from <see cref="Statement"/>.</summary>
    public string Text { get; } = SyntaxPrinter.Print(statement);

    public IReadOnlyList<KeyValuePair<string, ValueSource>> Parameters { get; } = parameters;

    /// <summary>Builds one element from one row's values (NULL as null) and the projection's constants.</summary>
    public Func<object?[], object?[], object?> Materialize { get; } = materialize;

    /// <summary>Where each projection constant comes from.</summary>
    public ValueSource[] Constants { get; } = constants;

    /// <summary>Null for a query that yields a sequence.</summary>
    public ResultOperator? Result { get; } = result;

    /// <summary>The command an execution of this translation last ran, kept for the next (see <see cref="CommandCache"/>).</summary>
    public CommandCache Commands { get; } = new();

    /// <summary>What the translation read from the captured values; set when the template is cached.</summary>
    public CapturedValues.Fact[] Facts { get; set; } = [];

    /// <summary>The template with one execution's captured values.</summary>
    public TranslatedQuery Bind(IReadOnlyList<object?> captured)
    {
        var parameters = new KeyValuePair<string, object?>[Parameters.Count];
        for (int i = 0; i < parameters.Length; i++) parameters[i] = new(Parameters[i].Key, Parameters[i].Value.Resolve(captured));
        object?[] constants = Constants.Length == 0 ? [] : new object?[Constants.Length];
        for (int i = 0; i < constants.Length; i++) constants[i] = Constants[i].Resolve(captured);
        return new TranslatedQuery(this, parameters, constants);
    }
}
