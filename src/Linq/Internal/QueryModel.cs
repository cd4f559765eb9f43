using StemeQL.Planner.Syntax;
using LinqParameter = System.Linq.Expressions.ParameterExpression;
using LambdaExpression = System.Linq.Expressions.LambdaExpression;
using LinqExpression = System.Linq.Expressions.Expression;
using SyntaxExpression = StemeQL.Planner.Syntax.Expression;

namespace StemeQL.Linq;

/// <summary>
/// The SELECT being built while the operators of a LINQ query are applied, innermost first. The
/// current <see cref="Element"/> is what the query yields so far, as an expression over
/// <see cref="Row"/>; each lambda is applied by substituting it for the lambda's parameter.
/// </summary>
internal sealed class QueryModel
{
    private readonly List<KeyValuePair<string, ValueSource>> _parameters = [];

    public QueryModel(RelationInfo relation)
    {
        Relation = relation;
        Row = LinqExpression.Parameter(relation.RowType, "row");
        Element = Row;
        Translator = new ExpressionTranslator(this);
    }

    public RelationInfo Relation { get; }

    /// <summary>Stands for one row of the relation in every expression the model holds.</summary>
    public LinqParameter Row { get; }

    /// <summary>What the query yields so far, over <see cref="Row"/>.</summary>
    public LinqExpression Element { get; set; }

    public ExpressionTranslator Translator { get; }

    public LensClause? Lens { get; set; }
    public AsOfClause? AsOf { get; set; }
    public List<SyntaxExpression> Where { get; } = [];
    public List<SyntaxExpression> Having { get; } = [];
    public List<SyntaxExpression> GroupBy { get; } = [];
    public bool IsGrouped { get; set; }
    public List<OrderItem> OrderBy { get; } = [];
    public bool Distinct { get; set; }
    public long? Limit { get; set; }
    public long Offset { get; set; }

    /// <summary>True once a Skip or Take is applied: later filters and sorts would need a subquery.</summary>
    public bool IsPaged => Limit is not null || Offset > 0;

    /// <summary>True once any operator other than UsingLens / AsOf has been applied.</summary>
    public bool HasOperators { get; set; }

    /// <summary>Set by the operator that ends the query (First, Count, Sum, ...); null yields a sequence.</summary>
    public ResultOperator? Result { get; set; }

    /// <summary>A one-item select list that replaces the element's projection (count(*), an aggregate, a constant).</summary>
    public SyntaxExpression? ScalarProjection { get; private set; }

    /// <summary>The CLR type <see cref="ScalarProjection"/> is read as.</summary>
    public Type? ScalarType { get; private set; }

    /// <summary>Makes the query return one value per row: <paramref name="projection"/>, read as <paramref name="type"/>.</summary>
    public void SetScalar(SyntaxExpression projection, Type type) => (ScalarProjection, ScalarType) = (projection, type);

    /// <summary>The parameters, each with where its value comes from at each execution.</summary>
    public IReadOnlyList<KeyValuePair<string, ValueSource>> Parameters => _parameters;

    /// <summary>A new <c>@pN</c> bound to <paramref name="value"/>, fixed by the translation.</summary>
    public SyntaxExpression Parameter(object? value) => Parameter(ValueSource.Constant(value));

    /// <summary>
    /// A new <c>@pN</c> bound to the captured value (through <paramref name="transform"/>), read again at
    /// each execution of a cached translation; the value itself is not observed.
    /// </summary>
    public SyntaxExpression Parameter(CapturedValueExpression captured, Func<object?, object?>? transform = null) =>
        Parameter(ValueSource.Captured(captured.Index, transform));

    private Planner.Syntax.ParameterExpression Parameter(ValueSource source)
    {
        string name = "p" + _parameters.Count;
        _parameters.Add(new(name, source));
        return new Planner.Syntax.ParameterExpression(name);
    }

    /// <summary>The lambda's body with its parameters replaced by the current element (and, for two-parameter lambdas, <paramref name="second"/>).</summary>
    public LinqExpression Apply(LambdaExpression lambda, LinqExpression? second = null)
    {
        var map = new Dictionary<LinqParameter, LinqExpression> { [lambda.Parameters[0]] = Element };
        if (second is not null) map[lambda.Parameters[1]] = second;
        return ElementSubstitution.Substitute(lambda.Body, map);
    }

    /// <summary>Adds a condition: to WHERE, or to HAVING once the query is grouped.</summary>
    public void AddFilter(SyntaxExpression condition) => (IsGrouped ? Having : Where).Add(condition);
}
