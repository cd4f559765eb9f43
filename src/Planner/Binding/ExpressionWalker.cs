using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Binding;

/// <summary>Walks an expression tree.</summary>
internal static class ExpressionWalker
{
    /// <summary>Every node of <paramref name="expression"/>, depth first.</summary>
    public static IEnumerable<Expression> Nodes(Expression expression)
    {
        var stack = new Stack<Expression>();
        stack.Push(expression);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            foreach (var child in Children(node)) stack.Push(child);
        }
    }

    /// <summary>The top-level AND conjuncts of a condition.</summary>
    public static IEnumerable<Expression> Conjuncts(Expression? condition)
    {
        if (condition is null) yield break;
        if (condition is BinaryExpression { Operator: BinaryOperator.And } and)
        {
            foreach (var left in Conjuncts(and.Left)) yield return left;
            foreach (var right in Conjuncts(and.Right)) yield return right;
        }
        else
        {
            yield return condition;
        }
    }

    /// <summary>Checks that every column of <paramref name="expression"/> belongs to <paramref name="relation"/>.</summary>
    public static void CheckColumns(Expression? expression, Relation relation)
    {
        if (expression is null) return;
        foreach (var column in Nodes(expression).OfType<ColumnExpression>())
            relation.Ordinal(column.Name);
    }

    private static IEnumerable<Expression> Children(Expression node) => node switch
    {
        UnaryExpression unary => [unary.Operand],
        BinaryExpression binary => [binary.Left, binary.Right],
        InExpression @in => [@in.Operand, .. @in.Values],
        LikeExpression like => [like.Operand, like.Pattern],
        IsNullExpression isNull => [isNull.Operand],
        _ => [],
    };
}
