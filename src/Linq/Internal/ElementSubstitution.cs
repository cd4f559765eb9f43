using System.Linq.Expressions;
using System.Reflection;

namespace StemeQL.Linq;

/// <summary>
/// Replaces a lambda's parameters with the expressions they stand for, then folds member accesses on
/// what an earlier Select built: <c>new { X = e }.X</c> is <c>e</c>, a record's property is its
/// constructor argument, <c>g.Key</c> is the group key. What is left refers only to the row.
/// </summary>
internal sealed class ElementSubstitution(IReadOnlyDictionary<ParameterExpression, Expression> map) : ExpressionVisitor
{
    public static Expression Substitute(Expression body, IReadOnlyDictionary<ParameterExpression, Expression> map) =>
        new ElementSubstitution(map).Visit(body);

    protected override Expression VisitParameter(ParameterExpression node) =>
        map.TryGetValue(node, out var replacement) ? replacement : node;

    protected override Expression VisitMember(MemberExpression node)
    {
        var inner = Visit(node.Expression);
        return Fold(inner, node.Member) ?? node.Update(inner);
    }

    /// <summary>The expression a member of a constructed object reads, or null when it is not known.</summary>
    public static Expression? Fold(Expression? instance, MemberInfo member)
    {
        switch (instance)
        {
            case GroupingExpression g when member.Name == "Key":
                return g.Key;
            case NewExpression n when n.Members is not null:
                for (int i = 0; i < n.Members.Count; i++)
                {
                    if (SameMember(n.Members[i], member)) return n.Arguments[i];
                }
                return null;
            case NewExpression n when n.Constructor is not null:
                // A positional record: the property has its constructor parameter's name.
                var parameters = n.Constructor.GetParameters();
                for (int i = 0; i < parameters.Length; i++)
                {
                    if (string.Equals(parameters[i].Name, member.Name, StringComparison.OrdinalIgnoreCase)) return n.Arguments[i];
                }
                return null;
            case MemberInitExpression init:
                foreach (var binding in init.Bindings)
                {
                    if (binding is MemberAssignment assignment && SameMember(assignment.Member, member)) return assignment.Expression;
                }
                return Fold(init.NewExpression, member);
            default:
                return null;
        }
    }

    // Anonymous types list their members as the get methods' properties; compare by name within the type.
    private static bool SameMember(MemberInfo a, MemberInfo b) =>
        a.Name == b.Name || (a is MethodInfo m && m.Name == "get_" + b.Name);
}
