using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary>
/// Replaces <c>db.Assertions()</c> (or <c>Votes()</c>, <c>Status()</c>, <c>Agents()</c>) in a compiled query's
/// lambda with the query root it stands for, as a non-compiled query has it. The root's own connection is
/// never used: each execution runs on the connection passed to the compiled delegate.
/// </summary>
internal sealed class CompiledQueryRoot(ParameterExpression connection) : ExpressionVisitor
{
    private static readonly StemeConnection Unopened = new();

    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        if (node.Object is null && node.Arguments.Count == 1 && node.Arguments[0] == connection
            && node.Method.DeclaringType == typeof(StemeQueryableExtensions) && typeof(IQueryable).IsAssignableFrom(node.Type))
        {
            return Expression.Constant(node.Method.Invoke(null, [Unopened]), node.Type);
        }
        return base.VisitMethodCall(node);
    }

    protected override Expression VisitParameter(ParameterExpression node) => node == connection
        ? throw Unsupported.Expression(node, "A compiled query uses its connection only to start the query: db.Assertions(), db.Votes(), db.Agents() or db.Status().")
        : node;
}
