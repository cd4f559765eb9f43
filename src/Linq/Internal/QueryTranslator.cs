using System.Linq.Expressions;
using System.Reflection;
using StemeQL.Planner.Syntax;
using LinqExpression = System.Linq.Expressions.Expression;

namespace StemeQL.Linq;

/// <summary>
/// Translates a LINQ query expression into one StemeQL SELECT: captured values are evaluated into
/// parameters, then each operator call, from the root outwards, is folded into a <see cref="QueryModel"/>
/// by its operator class, and the model is printed as a syntax tree.
/// </summary>
internal static class QueryTranslator
{
    private static readonly MethodInfo ReadMethod = typeof(Values).GetMethod(nameof(Values.Read))!;

    /// <summary>The query with its values bound, from the cached template of its shape when there is one.</summary>
    public static TranslatedQuery Translate(LinqExpression expression) => InlineQueryCache.Translate(expression);

    internal static QueryTemplate Compose(LinqExpression captured)
    {
        var calls = new Stack<MethodCallExpression>();
        var node = captured;
        while (node is MethodCallExpression call && call.Arguments.Count > 0)
        {
            calls.Push(call);
            node = call.Arguments[0];
        }
        if (node is not ConstantExpression { Value: IStemeQueryRoot root })
            throw Unsupported.Expression(node, "A StemeQL query starts from connection.Assertions(), Votes(), Agents() or Status().");
        var model = new QueryModel(root.Relation);
        foreach (var call in calls)
        {
            try
            {
                OperatorLibrary.For(call).Apply(call, model);
            }
            catch (NotSupportedException e) when (call.Arguments.Count > 1)
            {
                // The translator sees lambdas after substitution; name the lambda as the caller wrote it too.
                var arguments = call.Arguments.Skip(1).Select(a => a is System.Linq.Expressions.UnaryExpression { NodeType: ExpressionType.Quote } q ? q.Operand : a);
                throw new NotSupportedException($"{e.Message} (in {call.Method.Name}({string.Join(", ", arguments)}))", e);
            }
            if (call.Method.DeclaringType != typeof(StemeQueryableExtensions)) model.HasOperators = true;
        }
        return Build(model);
    }

    private static QueryTemplate Build(QueryModel model)
    {
        SyntaxList<SelectItem> items;
        Func<object?[], object?[], object?> materialize;
        ValueSource[] constants = [];
        if (model.ScalarProjection is not null)
        {
            items = SyntaxList.Of(new SelectItem(model.ScalarProjection));
            var read = ScalarReader(model.ScalarType!);
            materialize = (values, _) => read(values);
        }
        else
        {
            if (model.Element is GroupingExpression)
                throw new NotSupportedException("A StemeQL query returns rows, not groups: follow GroupBy(...) with Select(g => new { g.Key, Count = g.Count(), Total = g.Sum(x => ...) }).");
            (items, materialize, constants) = ProjectionBuilder.Build(model, model.Element);
        }
        Planner.Syntax.Expression? limit = null, offset = null;
        if (model.Limit is not null || model.Offset > 0)
        {
            // OFFSET is written after LIMIT; a Skip without Take reads to the end.
            limit = model.Parameter(model.Limit ?? long.MaxValue);
            if (model.Offset > 0) offset = model.Parameter(model.Offset);
        }
        var statement = new SelectStatement(items, model.Relation.Name, model.Lens, model.AsOf,
            model.Where.Count == 0 ? null : ExpressionTranslator.And([.. model.Where]),
            SyntaxList.Of(model.OrderBy), limit, offset)
        {
            Distinct = model.Distinct,
            GroupBy = SyntaxList.Of(model.GroupBy),
            Having = model.Having.Count == 0 ? null : ExpressionTranslator.And([.. model.Having]),
        };
        return new QueryTemplate(statement, model.Parameters, materialize, constants, model.Result);
    }

    // Aggregates can be NULL (no rows); the result operator applies LINQ's rule, so read them as nullable.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Func<object?[], object?>> ScalarReaders = new();

    private static Func<object?[], object?> ScalarReader(Type type) => ScalarReaders.GetOrAdd(type, CompileScalarReader);

    private static Func<object?[], object?> CompileScalarReader(Type type)
    {
        var nullable = type.IsValueType && Nullable.GetUnderlyingType(type) is null ? typeof(Nullable<>).MakeGenericType(type) : type;
        var values = LinqExpression.Parameter(typeof(object?[]), "values");
        var read = LinqExpression.Call(ReadMethod.MakeGenericMethod(nullable), values, LinqExpression.Constant(0));
        return LinqExpression.Lambda<Func<object?[], object?>>(LinqExpression.Convert(read, typeof(object)), values).Compile();
    }
}
