using System.Linq.Expressions;
using System.Reflection;
using System.Text;

namespace StemeQL.Linq;

/// <summary>
/// A text that is equal for two expression trees exactly when they have the same shape, the same
/// types, members and methods, and the same constants (captured values count by position, not value):
/// the key under which a compiled materializer, or a query's translation, is reused. Types and members are written with their runtime handles, so names can never collide.
/// </summary>
internal sealed class ExpressionKey : ExpressionVisitor
{
    private readonly StringBuilder _key = new();
    private readonly List<object> _opaque = [];

    public static string Of(Expression expression) => Of(expression, out _);

    /// <summary>
    /// The key, and the constants whose text does not identify them (objects other than numbers, text,
    /// times and the like): two trees are the same only if those are also equal.
    /// </summary>
    public static string Of(Expression expression, out object[] opaqueConstants)
    {
        var builder = new ExpressionKey();
        builder.Visit(expression);
        opaqueConstants = [.. builder._opaque];
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
            // A query root stands for its relation (not its connection); a captured value for its position only.
            case ConstantExpression { Value: IStemeQueryRoot root }: _key.Append(root.Relation.Name); break;
            case ConstantExpression c:
                string text = ConstantText(c.Value);
                _key.Append(text.Length).Append('#').Append(text);
                break;
            case CapturedValueExpression captured: _key.Append('$').Append(captured.Index); break;
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

    // A text that identifies the value for the types whose text round-trips; others are compared by Equals too.
    private string ConstantText(object? value)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        switch (value)
        {
            case null: return "";
            case string s: return s;
            case double d: return d.ToString("R", invariant);
            case float f: return f.ToString("R", invariant);
            case DateTime t: return t.Ticks.ToString(invariant) + t.Kind;
            case DateTimeOffset t: return t.UtcTicks.ToString(invariant) + "+" + t.Offset.Ticks.ToString(invariant);
            case Enum or bool or char or decimal or Guid or TimeSpan: return Convert.ToString(value, invariant)!;
            case var _ when value.GetType().IsPrimitive: return Convert.ToString(value, invariant)!;
            default:
                _opaque.Add(value);
                return "@" + _opaque.Count + Convert.ToString(value, invariant);
        }
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
