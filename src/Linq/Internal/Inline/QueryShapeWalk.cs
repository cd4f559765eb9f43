using System.Collections.ObjectModel;
using System.Linq.Expressions;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace StemeQL.Linq;

/// <summary>
/// One walk of a LINQ query tree as the C# compiler built it, without rewriting it: it records the tree's
/// shape as <see cref="ShapeToken"/>s (the cache key), finds the captured values — the largest parts that use
/// no row and no query root, other than literals, as <see cref="Funcletizer"/> finds them — and keeps the
/// constants they read (closure objects), so a cached <see cref="InlineQuery"/> reads their values with its
/// compiled readers. Nothing is allocated once the buffers have grown; one walk per thread is reused.
/// </summary>
internal sealed class QueryShapeWalk
{
    [ThreadStatic] private static QueryShapeWalk? t_idle;

    private ChildMark[] _marks = new ChildMark[32];
    private int _markCount;
    private readonly List<CapturedSlot> _slots = [];
    private ShapeToken[] _tokens = new ShapeToken[64];
    private object?[] _constants = new object?[16];

    /// <summary>The tree's tokens, in pre-order.</summary>
    public ReadOnlySpan<ShapeToken> Tokens => _tokens.AsSpan(0, TokenCount);

    public int TokenCount { get; private set; }

    /// <summary>Every constant of the tree in pre-order; a captured value's constants are a run of them.</summary>
    public object?[] Constants => _constants;

    private int _constantCount;
    private int _hash;

    /// <summary>The captured values, in pre-order.</summary>
    public IReadOnlyList<CapturedSlot> Slots => _slots;

    /// <summary>The hash of <see cref="Tokens"/> (a closure counts by its type, a literal by its value).</summary>
    public int Hash { get; private set; }

    /// <summary>False when the tree has a node kind this walk does not know; such a query takes the general path.</summary>
    public bool Supported { get; private set; }

    /// <summary>A walk of <paramref name="query"/> on this thread's buffers; give it back with <see cref="Return"/>.</summary>
    public static QueryShapeWalk Of(Expression query)
    {
        // Taken from the thread while in use: evaluating a captured value may run another query.
        var walk = t_idle ?? new QueryShapeWalk();
        t_idle = null;
        walk.Run(query);
        return walk;
    }

    /// <summary>Keeps the buffers for the thread's next query (dropping the references they hold).</summary>
    public void Return()
    {
        Array.Clear(_constants, 0, _constantCount);
        Array.Clear(_tokens, 0, TokenCount);
        _slots.Clear();
        Array.Clear(_marks);
        t_idle = this;
    }

    private void Run(Expression query)
    {
        TokenCount = _constantCount = _hash = 0;
        _slots.Clear();
        _markCount = 0;
        Supported = true;
        Visit(query);
        // A node's captured children are found after its later siblings' own: put them back in pre-order.
        _slots.Sort(static (a, b) => a.FirstToken.CompareTo(b.FirstToken));
        Hash = _hash;
    }

    // Returns whether the node could be evaluated without a row (Funcletizer's Nominator, for a query without arguments).
    private bool Visit(Expression? node)
    {
        if (node is null)
        {
            Add(ShapeToken.Null, null, null);
            return true;
        }
        var nodeType = node.NodeType;
        // A member access's or a call's type follows from its member or method (and reading it costs).
        int at = Add((int)nodeType, nodeType is ExpressionType.MemberAccess or ExpressionType.Call ? null : node.Type, null);
        int marks = _markCount;
        bool evaluable = nodeType switch
        {
            // By node type (a jump table) rather than by class: the walk runs on every execution.
            ExpressionType.Constant => Constant(at, (ConstantExpression)node),
            ExpressionType.Parameter => Set(at, ((ParameterExpression)node).Name, false),
            ExpressionType.MemberAccess => Member(at, (MemberExpression)node),
            ExpressionType.Call => Call(at, (MethodCallExpression)node),
            ExpressionType.Lambda => Lambda(at, (LambdaExpression)node),
            ExpressionType.Conditional => Conditional((ConditionalExpression)node),
            ExpressionType.TypeIs or ExpressionType.TypeEqual => Set(at, ((TypeBinaryExpression)node).TypeOperand, Child(((TypeBinaryExpression)node).Expression)),
            ExpressionType.New => New(at, (NewExpression)node),
            ExpressionType.MemberInit => MemberInit(at, (MemberInitExpression)node),
            ExpressionType.NewArrayInit or ExpressionType.NewArrayBounds => NewArray(at, (NewArrayExpression)node),
            ExpressionType.Invoke => Invoke(at, (InvocationExpression)node),
            ExpressionType.Default => true,
            _ => node switch
            {
                UnaryExpression u => Set(at, u.Method, Child(u.Operand) & u.NodeType != ExpressionType.Quote),
                BinaryExpression b => Set(at, b.Method, Child(b.Left) & Child(b.Conversion) & Child(b.Right)),
                _ => Unknown(),
            },
        };
        // A span cannot be boxed into a captured value: the Funcletizer captures what it wraps instead.
        if (evaluable && node.Type.IsByRefLike) evaluable = false;
        if (!evaluable) CaptureChildren(marks);
        _markCount = marks;
        return evaluable;
    }

    private bool Constant(int at, ConstantExpression constant)
    {
        if (_constantCount == _constants.Length) Array.Resize(ref _constants, _constants.Length * 2);
        _constants[_constantCount++] = constant.Value;
        ref var token = ref _tokens[at];
        switch (constant.Value)
        {
            case IStemeQueryRoot root:
                token.Kind |= ShapeToken.Root;
                token.Value = root.Relation;
                Mix(RuntimeHelpers.GetHashCode(root.Relation));
                return false;
            case IQueryable:
                token.Kind |= ShapeToken.Queryable;
                token.Value = constant.Value;
                return false;
            default:
                token.Value = constant.Value;
                // A literal's value tells shapes apart; a closure's must not (a new one at every call): only
                // plain values are hashed.
                if (constant.Value is string or ValueType or Lens) Mix(constant.Value.GetHashCode());
                return true;
        }
    }

    private bool Member(int at, MemberExpression node) => Set(at, node.Member, Child(node.Expression));

    private bool Call(int at, MethodCallExpression node) => Set(at, node.Method, Child(node.Object) & Children(node.Arguments), node.Arguments.Count);

    private bool Lambda(int at, LambdaExpression node) => Set(at, null, Child(node.Body) & Children(node.Parameters) & false, node.Parameters.Count);

    private bool Conditional(ConditionalExpression node) => Child(node.Test) & Child(node.IfTrue) & Child(node.IfFalse);

    private bool NewArray(int at, NewArrayExpression node) => Set(at, null, Children(node.Expressions), node.Expressions.Count);

    private bool Invoke(int at, InvocationExpression node) => Set(at, null, Child(node.Expression) & Children(node.Arguments), node.Arguments.Count);

    private bool New(int at, NewExpression node)
    {
        int members = node.Members?.Count ?? 0;
        bool evaluable = Set(at, node.Constructor, Children(node.Arguments), node.Arguments.Count | (members + (node.Members is null ? 0 : 1)) << 8);
        for (int i = 0; i < members; i++) Add(ShapeToken.Member, null, node.Members![i]);
        return evaluable;
    }

    private bool MemberInit(int at, MemberInitExpression node)
    {
        // The Funcletizer leaves an initializer's constructor arguments as they are; such a query takes the general path.
        if (node.NewExpression.Arguments.Count > 0) return Unknown();
        bool evaluable = Set(at, null, Child(node.NewExpression), node.Bindings.Count);
        foreach (var binding in node.Bindings)
        {
            if (binding is not MemberAssignment assignment) return Unknown();
            Add(ShapeToken.Member, null, binding.Member);
            evaluable &= Child(assignment.Expression);
        }
        return evaluable;
    }

    private bool Unknown()
    {
        Supported = false;
        return false;
    }

    private bool Set(int at, object? value, bool evaluable, int arity = 0)
    {
        _tokens[at].Value = value;
        _tokens[at].Kind |= (arity & 0xFFFF) << 8;
        // Members, methods and types by identity (reflection caches them, and virtual GetHashCode costs more
        // than the rest of the walk); names by text.
        Mix(arity ^ (value is string name ? name.GetHashCode() : RuntimeHelpers.GetHashCode(value)));
        return evaluable;
    }

    private bool Child(Expression? child)
    {
        int firstToken = TokenCount, firstConstant = _constantCount;
        bool evaluable = Visit(child);
        if (_markCount == _marks.Length) Array.Resize(ref _marks, _marks.Length * 2);
        _marks[_markCount++] = new ChildMark(child, firstToken, TokenCount, firstConstant, evaluable);
        return evaluable;
    }

    private bool Children<T>(ReadOnlyCollection<T> children) where T : Expression
    {
        bool evaluable = true;
        for (int i = 0; i < children.Count; i++) evaluable &= Child(children[i]);
        return evaluable;
    }

    // The node uses a row: each child that does not is a captured value, unless it is a literal.
    private void CaptureChildren(int from)
    {
        for (int i = from; i < _markCount; i++)
        {
            ref readonly var mark = ref _marks[i];
            if (!mark.Evaluable || mark.Node is null || Funcletizer.IsLiteral(mark.Node)) continue;
            for (int t = mark.FirstToken; t < mark.EndToken; t++)
            {
                if ((_tokens[t].Kind & 0xFF) == (int)ExpressionType.Constant) _tokens[t].Kind |= ShapeToken.Captured;
            }
            _slots.Add(new CapturedSlot(mark.Node, mark.FirstToken, mark.FirstConstant));
        }
    }

    private int Add(int kind, object? type, object? value)
    {
        if (TokenCount == _tokens.Length) Array.Resize(ref _tokens, _tokens.Length * 2);
        _tokens[TokenCount] = new ShapeToken(kind, type, value);
        Mix(kind ^ RuntimeHelpers.GetHashCode(type));
        if (value is not null) Mix(RuntimeHelpers.GetHashCode(value));
        return TokenCount++;
    }

    // The hash is built as the tree is walked: equal token lists give equal hashes, whatever fills them in.
    private void Mix(int value) => _hash = (int)(BitOperations.RotateLeft((uint)_hash, 5) ^ (uint)value) * -1640531535;

    private readonly record struct ChildMark(Expression? Node, int FirstToken, int EndToken, int FirstConstant, bool Evaluable);
}

/// <summary>A captured value found by a <see cref="QueryShapeWalk"/>: its node, first token and first constant.</summary>
internal readonly record struct CapturedSlot(Expression Node, int FirstToken, int FirstConstant);
