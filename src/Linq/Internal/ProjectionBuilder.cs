using System.Linq.Expressions;
using System.Reflection;
using S = StemeQL.Planner.Syntax;

namespace StemeQL.Linq;

/// <summary>
/// Turns the query's final element into a select list and a materializer. Constructors (anonymous
/// types, records, classes with initializers) are rebuilt on the client from the columns they read;
/// each other row-dependent part becomes one select item; parts that do not depend on the row are
/// kept as they are. The materializer reads those from an array, so its compiled form depends only on
/// the projection's shape and is reused by every query of that shape (compiling costs milliseconds).
/// </summary>
internal sealed class ProjectionBuilder : ExpressionVisitor
{
    private static readonly MethodInfo ReadMethod = typeof(Values).GetMethod(nameof(Values.Read))!;
    private static readonly MethodInfo CreateMethod = typeof(Func<object?[], int, object>).GetMethod("Invoke")!;

    private readonly QueryModel _model;
    private readonly List<S.SelectItem> _items = [];
    private readonly List<ValueSource> _constants = [];
    private readonly ParameterExpression _values = Expression.Parameter(typeof(object?[]), "values");
    private readonly ParameterExpression _constantsParameter = Expression.Parameter(typeof(object?[]), "constants");

    private ProjectionBuilder(QueryModel model) => _model = model;

    /// <summary>
    /// The select list for <paramref name="element"/>, a function from a row read back and the projection's
    /// constants to the element, and where each constant comes from.
    /// </summary>
    public static (S.SyntaxList<S.SelectItem> Items, Func<object?[], object?[], object?> Materialize, ValueSource[] Constants) Build(QueryModel model, Expression element)
    {
        var builder = new ProjectionBuilder(model);
        var body = builder.Visit(element)!;
        if (builder._items.Count == 0) builder._items.Add(new S.SelectItem(new S.LiteralExpression(Core.Model.StemeValue.Integer(1))));
        var lambda = Expression.Lambda<Func<object?[], object?[], object?>>(Expression.Convert(body, typeof(object)), builder._values, builder._constantsParameter);
        return (S.SyntaxList.Of(builder._items), CompiledLambdas.Get(lambda), [.. builder._constants]);
    }

    private Expression Constant(object? value, Type type) => Constant(ValueSource.Constant(value), type);

    private Expression Constant(ValueSource source, Type type)
    {
        _constants.Add(source);
        return Expression.Convert(Expression.ArrayIndex(_constantsParameter, Expression.Constant(_constants.Count - 1)), type);
    }

    public override Expression? Visit(Expression? node)
    {
        switch (node)
        {
            case null:
                return null;
            case NewExpression or MemberInitExpression:
                return base.Visit(node);
            case ParameterExpression p when p == _model.Row:
                int offset = _items.Count;
                foreach (var column in _model.Relation.Columns) _items.Add(new S.SelectItem(column));
                return Expression.Convert(
                    Expression.Call(Constant(_model.Relation.Create, typeof(Func<object?[], int, object>)), CreateMethod, _values, Expression.Constant(offset)),
                    _model.Relation.RowType);
            case var _ when !DependsOnRow(node):
                return Constant(node switch
                {
                    ConstantExpression c => ValueSource.Constant(c.Value),
                    CapturedValueExpression captured => ValueSource.Captured(captured.Index),
                    _ => ValueSource.Constant(Expression.Lambda<Func<object?>>(Expression.Convert(node, typeof(object))).Compile(preferInterpretation: true)()),
                }, node.Type);
            default:
                _items.Add(new S.SelectItem(_model.Translator.Translate(node)));
                return Expression.Call(ReadMethod.MakeGenericMethod(node.Type), _values, Expression.Constant(_items.Count - 1));
        }
    }

    protected override MemberBinding VisitMemberBinding(MemberBinding node) => node is MemberAssignment
        ? base.VisitMemberBinding(node)
        : throw new NotSupportedException($"The LINQ member binding '{node}' cannot be translated to StemeQL. Assign each member a value: new C {{ X = a.Subject }}.");

    private bool DependsOnRow(Expression node)
    {
        var finder = new RowFinder(_model.Row);
        finder.Visit(node);
        return finder.Found;
    }

    private sealed class RowFinder(ParameterExpression row) : ExpressionVisitor
    {
        public bool Found { get; private set; }

        public override Expression? Visit(Expression? node)
        {
            if (node == row || node is GroupingExpression) Found = true;
            return Found ? node : base.Visit(node);
        }
    }
}
