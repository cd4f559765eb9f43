using System.Linq.Expressions;
using System.Reflection;

namespace StemeQL.Linq;

/// <summary>
/// Evaluates, before translation, every part of a query that does not depend on a row: captured
/// variables, fields, method calls on them. Each becomes a <see cref="CapturedValueExpression"/> (a
/// parameter); a bare literal written in the lambda stays a <see cref="ConstantExpression"/> (a
/// literal). The query's root and its lambdas are left alone. For a compiled query the arguments of
/// its lambda count as captured values too, and a callback evaluates each captured part from them.
/// </summary>
internal sealed class Funcletizer : ExpressionVisitor
{
    private static readonly HashSet<ParameterExpression> NoArguments = [];
    private readonly HashSet<Expression> _evaluable = new(ReferenceEqualityComparer.Instance);
    private readonly CapturedValues _captured = new();
    private readonly Func<Expression, object?> _evaluate;

    private Funcletizer(Func<Expression, object?>? evaluate) => _evaluate = evaluate ?? Evaluate;

    /// <summary>The expression with its row-independent parts evaluated, and the values it captured.</summary>
    public static (Expression Expression, CapturedValues Captured) Capture(Expression expression) => Capture(expression, NoArguments, null);

    /// <summary>As <see cref="Capture(Expression)"/>, where <paramref name="evaluate"/> gives each captured part's value, in order.</summary>
    public static (Expression Expression, CapturedValues Captured) Capture(Expression expression, Func<Expression, object?> evaluate) =>
        Capture(expression, NoArguments, evaluate);

    /// <summary>
    /// As <see cref="Capture(Expression)"/>, where the parts that use <paramref name="arguments"/> (a compiled
    /// query's parameters) are captured too, and <paramref name="evaluate"/> gives each captured part's value,
    /// called in the order of the captured values.
    /// </summary>
    public static (Expression Expression, CapturedValues Captured) Capture(Expression expression,
        IReadOnlySet<ParameterExpression> arguments, Func<Expression, object?>? evaluate)
    {
        var funcletizer = new Funcletizer(evaluate);
        new Nominator(funcletizer._evaluable, arguments).Visit(expression);
        return (funcletizer.Visit(expression)!, funcletizer._captured);
    }

    /// <inheritdoc />
    public override Expression? Visit(Expression? node)
    {
        if (node is null || !_evaluable.Contains(node)) return base.Visit(node);
        if (node is ConstantExpression) return node;
        // A span (C# 14 binds array.Contains to MemoryExtensions) cannot be boxed: evaluate what it wraps.
        if (node.Type.IsByRefLike) return base.Visit(node);
        if (IsLiteral(node)) return Expression.Constant(Evaluate(node), node.Type);
        object? value = _evaluate(node);
        return new CapturedValueExpression(value, node.Type, _captured.Add(value), _captured);
    }

    // The constructor of a member initializer stays a NewExpression (the node requires it); its bindings are visited.
    protected override Expression VisitMemberInit(MemberInitExpression node) =>
        node.Update(node.NewExpression, node.Bindings.Select(VisitMemberBinding));

    protected override Expression VisitListInit(ListInitExpression node) =>
        node.Update(node.NewExpression, node.Initializers.Select(i => i.Update(i.Arguments.Select(a => Visit(a)!))));

    // Captured variables are fields of closure objects: read them by reflection, which is far cheaper
    // than compiling; anything else is interpreted.
    internal static object? Evaluate(Expression node) => node switch
    {
        ConstantExpression c => c.Value,
        MemberExpression { Member: FieldInfo f } m when m.Expression is null or ConstantExpression or MemberExpression =>
            f.GetValue(m.Expression is null ? null : Evaluate(m.Expression)),
        MemberExpression { Member: PropertyInfo { GetMethod.IsStatic: true } p, Expression: null } => p.GetValue(null),
        _ => Expression.Lambda<Func<object?>>(Expression.Convert(node, typeof(object))).Compile(preferInterpretation: true)(),
    };

    // Literals and conversions of literals (a lifted 0.5 is Convert(0.5, double?)) stay literals.
    internal static bool IsLiteral(Expression node) => node switch
    {
        ConstantExpression => true,
        UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked or ExpressionType.Negate } u => IsLiteral(u.Operand),
        _ => false,
    };

    /// <summary>Marks the nodes that use no lambda parameter and no query root.</summary>
    private sealed class Nominator(HashSet<Expression> evaluable, IReadOnlySet<ParameterExpression> arguments) : ExpressionVisitor
    {
        private bool _dependent;

        public override Expression? Visit(Expression? node)
        {
            if (node is null) return null;
            bool saved = _dependent;
            _dependent = false;
            base.Visit(node);
            if (!_dependent)
            {
                if (IsEvaluable(node)) evaluable.Add(node);
                else _dependent = true;
            }
            _dependent |= saved;
            return node;
        }

        private bool IsEvaluable(Expression node) => node switch
        {
            ParameterExpression p => arguments.Contains(p),
            LambdaExpression or CapturedValueExpression or GroupingExpression => false,
            UnaryExpression { NodeType: ExpressionType.Quote } => false,
            ConstantExpression { Value: IQueryable } => false,
            _ => node.NodeType != ExpressionType.Extension,
        };
    }
}
