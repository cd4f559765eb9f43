using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary>
/// Reads one captured value of an inline query from the constants a <see cref="QueryShapeWalk"/> collected:
/// the captured expression (<c>city</c>, a closure's field; <c>city.ToUpper()</c>; <c>this.Options.Limit</c>)
/// compiled once with each of its constants read from the walk's array, so a repeated query evaluates it
/// without reflection or a new compilation (readers of the same shape share one compiled delegate).
/// </summary>
internal static class CapturedValueReader
{
    /// <summary>A reader of <paramref name="captured"/>: given the walk's constants and the index of the first of its own.</summary>
    public static Func<object?[], int, object?> For(Expression captured)
    {
        var constants = Expression.Parameter(typeof(object?[]), "constants");
        var first = Expression.Parameter(typeof(int), "first");
        var body = new ConstantReader(constants, first).Visit(captured)!;
        return CompiledLambdas.Get(Expression.Lambda<Func<object?[], int, object?>>(Expression.Convert(body, typeof(object)), constants, first));
    }

    // Visits constants in the walk's order (ExpressionVisitor's), so the n-th one is constants[first + n].
    private sealed class ConstantReader(ParameterExpression constants, ParameterExpression first) : ExpressionVisitor
    {
        private int _next;

        protected override Expression VisitConstant(ConstantExpression node) =>
            Expression.Convert(Expression.ArrayIndex(constants, Expression.Add(first, Expression.Constant(_next++))), node.Type);
    }
}
