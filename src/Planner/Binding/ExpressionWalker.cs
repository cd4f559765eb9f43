using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Binding;

/// <summary>Walks expression trees without recursion, so no tree shape can exhaust the stack.</summary>
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

    /// <summary>The deepest path from <paramref name="expression"/> to a leaf, counted in nodes.</summary>
    public static int Depth(Expression expression)
    {
        int deepest = 0;
        var stack = new Stack<(Expression Node, int Depth)>();
        stack.Push((expression, 1));
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            deepest = Math.Max(deepest, depth);
            foreach (var child in Children(node)) stack.Push((child, depth + 1));
        }
        return deepest;
    }

    /// <summary>The top-level AND conjuncts of a condition.</summary>
    public static IReadOnlyList<Expression> Conjuncts(Expression? condition) => condition switch
    {
        null => [],
        LogicalExpression { Operator: LogicalOperator.And } and => and.Operands,
        _ => [condition],
    };

    /// <summary>The direct children of a node.</summary>
    public static IReadOnlyList<Expression> Children(Expression node) => node switch
    {
        UnaryExpression unary => [unary.Operand],
        BinaryExpression binary => [binary.Left, binary.Right],
        LogicalExpression logical => logical.Operands,
        InExpression @in => [@in.Operand, .. @in.Values],
        LikeExpression like => [like.Operand, like.Pattern],
        IsNullExpression isNull => [isNull.Operand],
        FunctionCallExpression call => call.Arguments,
        CaseExpression @case => CaseChildren(@case),
        _ => [],
    };

    private static List<Expression> CaseChildren(CaseExpression @case)
    {
        var children = new List<Expression>(@case.Whens.Count * 2 + 2);
        if (@case.Operand is not null) children.Add(@case.Operand);
        foreach (var when in @case.Whens)
        {
            children.Add(when.When);
            children.Add(when.Then);
        }
        if (@case.Else is not null) children.Add(@case.Else);
        return children;
    }
}
