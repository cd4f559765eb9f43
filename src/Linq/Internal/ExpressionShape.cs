using System.Collections.ObjectModel;
using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary>
/// Compares LINQ query trees by shape: the same node kinds, types, members, methods and constants, with a
/// captured value counting by its position only (as EF Core's ExpressionEqualityComparer does). It walks
/// the trees without allocating, so a repeated query finds its cached translation for little more than
/// the cost of one walk. A query root counts by its relation, not its connection.
/// </summary>
internal sealed class ExpressionShape : IEqualityComparer<Expression>
{
    public static readonly ExpressionShape Instance = new();

    private ExpressionShape() { }

    public bool Equals(Expression? x, Expression? y) => Same(x, y);

    public int GetHashCode(Expression expression)
    {
        var hash = new HashCode();
        Hash(expression, ref hash);
        return hash.ToHashCode();
    }

    private static bool Same(Expression? a, Expression? b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a is null || b is null || a.NodeType != b.NodeType || a.Type != b.Type) return false;
        return (a, b) switch
        {
            (CapturedValueExpression x, CapturedValueExpression y) => x.Index == y.Index,
            (ConstantExpression { Value: IStemeQueryRoot x }, ConstantExpression { Value: IStemeQueryRoot y }) => x.Relation == y.Relation,
            (ConstantExpression x, ConstantExpression y) => Equals(x.Value, y.Value),
            (ParameterExpression x, ParameterExpression y) => x.Name == y.Name,
            (MemberExpression x, MemberExpression y) => x.Member == y.Member && Same(x.Expression, y.Expression),
            (MethodCallExpression x, MethodCallExpression y) => x.Method == y.Method && Same(x.Object, y.Object) && Same(x.Arguments, y.Arguments),
            (LambdaExpression x, LambdaExpression y) => Same(x.Parameters, y.Parameters) && Same(x.Body, y.Body),
            (UnaryExpression x, UnaryExpression y) => x.Method == y.Method && Same(x.Operand, y.Operand),
            (BinaryExpression x, BinaryExpression y) => x.Method == y.Method && Same(x.Left, y.Left) && Same(x.Right, y.Right) && Same(x.Conversion, y.Conversion),
            (ConditionalExpression x, ConditionalExpression y) => Same(x.Test, y.Test) && Same(x.IfTrue, y.IfTrue) && Same(x.IfFalse, y.IfFalse),
            (TypeBinaryExpression x, TypeBinaryExpression y) => x.TypeOperand == y.TypeOperand && Same(x.Expression, y.Expression),
            (NewExpression x, NewExpression y) => Same(x, y),
            (MemberInitExpression x, MemberInitExpression y) => Same(x.NewExpression, y.NewExpression) && Same(x.Bindings, y.Bindings),
            (NewArrayExpression x, NewArrayExpression y) => Same(x.Expressions, y.Expressions),
            (InvocationExpression x, InvocationExpression y) => Same(x.Expression, y.Expression) && Same(x.Arguments, y.Arguments),
            (DefaultExpression, DefaultExpression) => true,
            // Kinds a query does not contain (blocks, loops, list initializers): never the same, so never reused.
            _ => false,
        };
    }

    private static bool Same(NewExpression x, NewExpression y)
    {
        if (x.Constructor != y.Constructor || !Same(x.Arguments, y.Arguments)) return false;
        if (x.Members is null || y.Members is null) return x.Members == y.Members;
        if (x.Members.Count != y.Members.Count) return false;
        for (int i = 0; i < x.Members.Count; i++)
        {
            if (x.Members[i] != y.Members[i]) return false;
        }
        return true;
    }

    private static bool Same<T>(ReadOnlyCollection<T> x, ReadOnlyCollection<T> y) where T : Expression
    {
        if (x.Count != y.Count) return false;
        for (int i = 0; i < x.Count; i++)
        {
            if (!Same(x[i], y[i])) return false;
        }
        return true;
    }

    private static bool Same(ReadOnlyCollection<MemberBinding> x, ReadOnlyCollection<MemberBinding> y)
    {
        if (x.Count != y.Count) return false;
        for (int i = 0; i < x.Count; i++)
        {
            // Only assignments translate; other bindings never count as the same.
            if (x[i] is not MemberAssignment a || y[i] is not MemberAssignment b || a.Member != b.Member || !Same(a.Expression, b.Expression)) return false;
        }
        return true;
    }

    private static void Hash(Expression? node, ref HashCode hash)
    {
        if (node is null)
        {
            hash.Add(0);
            return;
        }
        // Node kinds, names and values are enough to spread the keys; Equals compares types and members
        // exactly (hashing a generic method or a node's type costs more than the whole comparison).
        hash.Add(node.NodeType);
        switch (node)
        {
            case CapturedValueExpression captured: hash.Add(captured.Index); break;
            case ConstantExpression { Value: IStemeQueryRoot root }: hash.Add(root.Relation.Name); break;
            case ConstantExpression constant: hash.Add(constant.Value); break;
            case ParameterExpression parameter: hash.Add(parameter.Name); break;
            case MemberExpression member: hash.Add(member.Member.Name); Hash(member.Expression, ref hash); break;
            case MethodCallExpression call:
                hash.Add(call.Method.Name);
                Hash(call.Object, ref hash);
                for (int i = 0; i < call.Arguments.Count; i++) Hash(call.Arguments[i], ref hash);
                break;
            case LambdaExpression lambda: Hash(lambda.Body, ref hash); break;
            case UnaryExpression unary: Hash(unary.Operand, ref hash); break;
            case BinaryExpression binary: Hash(binary.Left, ref hash); Hash(binary.Right, ref hash); break;
            case NewExpression @new:
                for (int i = 0; i < @new.Arguments.Count; i++) Hash(@new.Arguments[i], ref hash);
                break;
            case MemberInitExpression init: Hash(init.NewExpression, ref hash); break;
            case ConditionalExpression conditional: Hash(conditional.Test, ref hash); Hash(conditional.IfTrue, ref hash); break;
        }
    }
}
