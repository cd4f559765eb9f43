using System.Linq.Expressions;
using System.Reflection;
using System.Text;

namespace StemeQL.Linq;

/// <summary>
/// A text that is equal for two expression trees exactly when they have the same shape, the same
/// types, members and methods, and the same constants: the key under which a compiled materializer is
/// reused. Types and members are written with their runtime handles, so names can never collide.
/// </summary>
internal sealed class ExpressionKey : ExpressionVisitor
{
    private readonly StringBuilder _key = new();

    public static string Of(Expression expression)
    {
        var builder = new ExpressionKey();
        builder.Visit(expression);
        return builder._key.ToString();
    }

    public override Expression? Visit(Expression? node)
    {
        if (node is null)
        {
            _key.Append("null;");
            return null;
        }
        _key.Append((int)node.NodeType).Append(':').Append(TypeId(node.Type)).Append('(');
        switch (node)
        {
            case ConstantExpression c: _key.Append(c.Value); break;
            case ParameterExpression p: _key.Append(p.Name); break;
            case MemberExpression m: _key.Append(MemberId(m.Member)); break;
            case MethodCallExpression call: _key.Append(MemberId(call.Method)); break;
            case NewExpression n:
                _key.Append(n.Constructor is null ? "" : MemberId(n.Constructor));
                foreach (var member in n.Members ?? []) _key.Append(',').Append(MemberId(member));
                break;
            case UnaryExpression u when u.Method is not null: _key.Append(MemberId(u.Method)); break;
            case BinaryExpression b when b.Method is not null: _key.Append(MemberId(b.Method)); break;
        }
        _key.Append(')');
        var result = base.Visit(node);
        _key.Append(';');
        return result;
    }

    protected override MemberBinding VisitMemberBinding(MemberBinding node)
    {
        _key.Append("bind ").Append(MemberId(node.Member)).Append(' ');
        return base.VisitMemberBinding(node);
    }

    private static string TypeId(Type type) => type.TypeHandle.Value.ToString();

    // Runtime handles are unique per member; the declaring type and generic arguments are added because
    // generic code over reference types can share one method handle.
    private static string MemberId(MemberInfo member)
    {
        string declaring = member.DeclaringType is null ? "" : TypeId(member.DeclaringType);
        return member switch
        {
            MethodInfo { IsConstructedGenericMethod: true } m =>
                declaring + "." + m.MethodHandle.Value + "<" + string.Join(",", m.GetGenericArguments().Select(TypeId)) + ">",
            MethodBase m => declaring + "." + m.MethodHandle.Value,
            FieldInfo f => declaring + "." + f.FieldHandle.Value,
            PropertyInfo { GetMethod: { } getter } => declaring + ".get" + getter.MethodHandle.Value,
            _ => declaring + "." + member.Module.ModuleVersionId + "." + member.MetadataToken,
        };
    }
}
