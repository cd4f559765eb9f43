using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary>
/// A query lambda compiled once (<see cref="StemeQuery"/>): its connection parameter stands for the query's
/// root and its other parameters become captured values. The first execution translates; later ones compute
/// the captured values straight from the arguments (no expression tree is built or walked) and bind them to
/// the kept translation, which is translated again only when a fact it read from the values no longer holds
/// (a null where there was a value, a new Take count).
/// </summary>
internal sealed class CompiledQuery
{
    private readonly Expression _query;
    private readonly HashSet<ParameterExpression> _arguments;
    private readonly ParameterExpression[] _parameters;
    private readonly Dictionary<Expression, Func<object?[], object?>> _extractorByNode = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _gate = new();
    private Func<object?[], object?>[] _extractors = [];
    private QueryTemplate? _template;

    private CompiledQuery(Expression query, ParameterExpression[] parameters)
    {
        _query = query;
        _parameters = parameters;
        _arguments = [.. parameters];
    }

    /// <summary>Compiles <paramref name="lambda"/>, whose first parameter is the connection.</summary>
    public static CompiledQuery Create(LambdaExpression lambda)
    {
        ArgumentNullException.ThrowIfNull(lambda);
        var connection = lambda.Parameters[0];
        return new CompiledQuery(new CompiledQueryRoot(connection).Visit(lambda.Body), [.. lambda.Parameters.Skip(1)]);
    }

    /// <summary>The command of the last execution, kept for the next.</summary>
    public CommandCache Commands { get; } = new();

    /// <summary>The query with <paramref name="arguments"/> (in the lambda's parameter order, after the connection) bound.</summary>
    public TranslatedQuery Bind(object?[] arguments)
    {
        var template = Volatile.Read(ref _template);
        if (template is not null)
        {
            var extractors = _extractors;
            var values = new object?[extractors.Length];
            for (int i = 0; i < values.Length; i++) values[i] = extractors[i](arguments);
            if (CapturedValues.Satisfies(template.Facts, values)) return template.Bind(values);
        }
        return Translate(arguments);
    }

    private TranslatedQuery Translate(object?[] arguments)
    {
        lock (_gate)
        {
            var extractors = new List<Func<object?[], object?>>();
            var (query, captured) = Funcletizer.Capture(_query, _arguments, node =>
            {
                var extractor = ExtractorOf(node);
                extractors.Add(extractor);
                return extractor(arguments);
            });
            var template = TranslationCache.GetOrTranslate(query, captured, QueryTranslator.Compose);
            // The captured values come in the same order at every translation (one walk of the same tree).
            _extractors = [.. extractors];
            Volatile.Write(ref _template, template);
            return template.Bind(captured.Values);
        }
    }

    // A parameter is read straight from the arguments; anything else (city.ToUpper(), a field) is compiled once.
    private Func<object?[], object?> ExtractorOf(Expression node)
    {
        if (_extractorByNode.TryGetValue(node, out var extractor)) return extractor;
        int position = Array.IndexOf(_parameters, node);
        if (position >= 0)
        {
            extractor = arguments => arguments[position];
        }
        else
        {
            var arguments = Expression.Parameter(typeof(object?[]), "arguments");
            var body = new ArgumentReader(_parameters, arguments).Visit(node);
            extractor = Expression.Lambda<Func<object?[], object?>>(Expression.Convert(body, typeof(object)), arguments).Compile();
        }
        _extractorByNode[node] = extractor;
        return extractor;
    }

    /// <summary>Replaces each parameter of the compiled lambda with its argument read from the array.</summary>
    private sealed class ArgumentReader(ParameterExpression[] parameters, ParameterExpression arguments) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node)
        {
            int position = Array.IndexOf(parameters, node);
            return position < 0 ? node : Expression.Convert(Expression.ArrayIndex(arguments, Expression.Constant(position)), node.Type);
        }
    }
}
