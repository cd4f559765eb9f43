using System.Collections;
using System.Linq.Expressions;
using StemeQL.Core.Model;
using S = StemeQL.Planner.Syntax;

namespace StemeQL.Linq;

// Method calls: the row's ObjectAs<T>(), string methods, Math, list.Contains(x), object.Equals and the
// aggregates of a group.
internal sealed partial class ExpressionTranslator
{
    private S.Expression Call(MethodCallExpression call)
    {
        var method = call.Method;
        if (method.DeclaringType == typeof(AssertionRow) && method.Name == nameof(AssertionRow.ObjectAs) && call.Object == model.Row)
            return new S.ColumnExpression("object");
        if (method.DeclaringType == typeof(Enumerable) && call.Arguments.Count > 0 && GroupSource.TryRead(call.Arguments[0], out var source))
            return GroupAggregate(call, source);
        if (method.Name == "Contains" && TryContains(call, out var contains)) return contains;
        if (method.DeclaringType == typeof(string)) return StringCall(call);
        if (method.DeclaringType == typeof(Math)) return MathCall(call);
        if (method.Name == nameof(Equals) && method.ReturnType == typeof(bool))
        {
            if (call.Object is not null && call.Arguments.Count == 1) return Compare(S.BinaryOperator.Equal, call.Object, call.Arguments[0], call);
            if (call.Object is null && call.Arguments.Count == 2) return Compare(S.BinaryOperator.Equal, call.Arguments[0], call.Arguments[1], call);
        }
        throw Unsupported.Expression(call, "Methods that translate: a.ObjectAs<T>(), string StartsWith / EndsWith / Contains / ToUpper / ToLower / Substring, string.Concat, string.IsNullOrEmpty, Math.Abs, Math.Round(x, MidpointRounding.AwayFromZero), list.Contains(x), Equals, and on a group Count / LongCount / Sum / Average / Min / Max.");
    }

    private S.Expression StringCall(MethodCallExpression call)
    {
        var args = call.Arguments;
        switch (call.Method.Name)
        {
            case nameof(string.StartsWith) or nameof(string.EndsWith) or nameof(string.Contains)
                when call.Object is not null && args.Count is 1 or 2 && args[0].Type == typeof(string) && IsOrdinalOrDefault(args):
                return Like(call, Translate(call.Object), args[0]);
            case nameof(string.ToUpper) or nameof(string.ToUpperInvariant) when call.Object is not null && args.Count == 0:
                return Function("upper", Translate(call.Object));
            case nameof(string.ToLower) or nameof(string.ToLowerInvariant) when call.Object is not null && args.Count == 0:
                return Function("lower", Translate(call.Object));
            case nameof(string.Substring) when call.Object is not null:
                var start = new S.BinaryExpression(S.BinaryOperator.Add, Translate(args[0]), Literal(1L));
                return args.Count == 1 ? Function("substr", Translate(call.Object), start)
                    : Function("substr", Translate(call.Object), start, Translate(args[1]));
            case nameof(string.Concat) when call.Object is null && args.All(a => a.Type != typeof(string[]) && a.Type != typeof(object[])):
                return args.Select(Translate).Aggregate((l, r) => new S.BinaryExpression(S.BinaryOperator.Concat, l, r));
            case nameof(string.IsNullOrEmpty) when call.Object is null:
                var value = Translate(args[0]);
                return Or(IsNull(value), new S.BinaryExpression(S.BinaryOperator.Equal, value, Literal("")));
            default:
                throw Unsupported.Expression(call, "String methods that translate: StartsWith, EndsWith, Contains (ordinal), ToUpper, ToLower, Substring, string.Concat (or +), string.IsNullOrEmpty, Length.");
        }
    }

    // StemeQL's LIKE has no ESCAPE clause: a value with % or _ in it is matched with substr instead.
    private S.Expression Like(MethodCallExpression call, S.Expression operand, Expression argument)
    {
        if (argument is not (ConstantExpression or CapturedValueExpression))
            throw Unsupported.Expression(call, "StartsWith / EndsWith / Contains take a string value (a literal or a captured variable), not a column.");
        var captured = argument as CapturedValueExpression;
        string? text = (argument as ConstantExpression)?.Value as string;
        // For a captured value the translation reads only whether it holds a wildcard, so the cached form serves every such value.
        bool? wildcard = captured is null ? text is null ? null : HasWildcard(text) : captured.Observe(static v => v is string s ? HasWildcard(s) : (bool?)null);
        if (wildcard is null) throw Unsupported.Expression(call, "The string passed to StartsWith / EndsWith / Contains cannot be null.");
        S.Expression Value(Func<string, string> form) => captured is null ? Literal(form(text!)) : model.Parameter(captured, v => form((string)v!));
        if (wildcard == false)
        {
            Func<string, string> pattern = call.Method.Name switch
            {
                nameof(string.StartsWith) => static t => t + "%",
                nameof(string.EndsWith) => static t => "%" + t,
                _ => static t => "%" + t + "%",
            };
            return new S.LikeExpression(operand, Value(pattern), Negated: false);
        }
        var value = Value(static t => t);
        // A literal's length is known here (in code points, as StemeQL counts); a parameter's is not.
        var length = captured is null ? Literal((long)text!.EnumerateRunes().Count()) : Function("length", value);
        return call.Method.Name switch
        {
            nameof(string.StartsWith) => new S.BinaryExpression(S.BinaryOperator.Equal, Function("substr", operand, Literal(1L), length), value),
            nameof(string.EndsWith) => new S.BinaryExpression(S.BinaryOperator.Equal,
                Function("substr", operand, new S.BinaryExpression(S.BinaryOperator.Add,
                    new S.BinaryExpression(S.BinaryOperator.Subtract, Function("length", operand), length), Literal(1L))), value),
            _ => throw Unsupported.Expression(call, "StemeQL's LIKE has no escape character, so Contains cannot look for '%' or '_': filter on StartsWith or equality instead."),
        };
    }

    private static bool HasWildcard(string text) => text.AsSpan().IndexOfAny('%', '_') >= 0;

    private static bool IsOrdinalOrDefault(IReadOnlyList<Expression> args) =>
        args.Count == 1 || args[1] is ConstantExpression { Value: StringComparison.Ordinal } or CapturedValueExpression { Value: StringComparison.Ordinal };

    private S.Expression MathCall(MethodCallExpression call)
    {
        var args = call.Arguments;
        if (call.Method.Name == nameof(Math.Abs)) return Function("abs", Translate(args[0]));
        if (call.Method.Name == nameof(Math.Round) && args[^1].Type == typeof(MidpointRounding)
            && args[^1] is ConstantExpression { Value: MidpointRounding.AwayFromZero } or CapturedValueExpression { Value: MidpointRounding.AwayFromZero })
        {
            return args.Count == 2 ? Function("round", Translate(args[0])) : Function("round", Translate(args[0]), Translate(args[1]));
        }
        throw Unsupported.Expression(call, "Math methods that translate: Math.Abs(x) and Math.Round(x[, digits], MidpointRounding.AwayFromZero) (StemeQL rounds half away from zero; C#'s default rounds half to even).");
    }

    // list.Contains(x) with a captured list, Enumerable.Contains(list, x), or MemoryExtensions.Contains(span, x).
    private bool TryContains(MethodCallExpression call, out S.Expression result)
    {
        result = null!;
        Expression? source, item;
        if (call.Object is not null && call.Arguments.Count == 1) (source, item) = (call.Object, call.Arguments[0]);
        else if (call.Object is null && call.Arguments.Count == 2) (source, item) = (call.Arguments[0], call.Arguments[1]);
        else return false;
        if (source is MethodCallExpression { Method.Name: "op_Implicit", Arguments.Count: 1 } span) source = span.Arguments[0];
        var captured = source as CapturedValueExpression;
        // Which items are null decides the IN list's length and the IS NULL test: that is all the translation reads
        // of a captured list, and each item is read again at each execution.
        var nulls = captured is not null ? captured.Observe(NullItems) : NullItems((source as ConstantExpression)?.Value);
        if (nulls is null) return false;
        var operand = Translate(item);
        var items = new List<S.Expression>();
        bool hasNull = false;
        for (int i = 0; i < nulls.Length; i++)
        {
            if (nulls[i] == 'n') hasNull = true;
            else if (captured is null) items.Add(model.Parameter(ItemOf(((ConstantExpression)source!).Value, i)));
            else
            {
                int position = i;
                items.Add(model.Parameter(captured, list => ItemOf(list, position)));
            }
        }
        S.Expression inList = items.Count == 0 ? Boolean(false) : new S.InExpression(operand, S.SyntaxList.Of(items), Negated: false);
        result = hasNull && MayBeNull(StripConvert(item)) ? Or(inList, IsNull(operand)) : inList;
        return true;
    }

    // One letter per item of a collection (n: null, v: a value); null when the value is not a collection.
    // Checked again at each execution of a cached translation, so it is written without LINQ.
    private static string? NullItems(object? list)
    {
        if (list is IList indexed) return string.Create(indexed.Count, indexed, static (letters, items) =>
        {
            for (int i = 0; i < letters.Length; i++) letters[i] = items[i] is null ? 'n' : 'v';
        });
        if (list is not IEnumerable values || list is string) return null;
        var letters = new System.Text.StringBuilder();
        foreach (var value in values) letters.Append(value is null ? 'n' : 'v');
        return letters.ToString();
    }

    // Read at each execution of a cached translation, so written without LINQ.
    private static object? ItemOf(object? list, int position)
    {
        if (list is IList items) return items[position];
        int index = 0;
        foreach (var item in (IEnumerable)list!)
        {
            if (index++ == position) return item;
        }
        throw new ArgumentOutOfRangeException(nameof(position));
    }

    private S.Expression GroupAggregate(MethodCallExpression call, GroupSource source)
    {
        var args = call.Arguments;
        LambdaExpression? lambda = args.Count == 2 ? args[1] as LambdaExpression : null;
        var element = source.Element;
        S.Expression OverElement() => Translate(lambda is null ? element
            : ElementSubstitution.Substitute(lambda.Body, new Dictionary<ParameterExpression, Expression> { [lambda.Parameters[0]] = element }));
        if (source.Distinct)
        {
            return call.Method.Name switch
            {
                nameof(Enumerable.Count) or nameof(Enumerable.LongCount) when lambda is null =>
                    new S.FunctionCallExpression("count", S.SyntaxList.Of(OverElement()), Distinct: true),
                nameof(Enumerable.Sum) => new S.FunctionCallExpression("sum", S.SyntaxList.Of(OverElement()), Distinct: true),
                nameof(Enumerable.Min) or nameof(Enumerable.Max) => Function(call.Method.Name.ToLowerInvariant(), OverElement()),
                _ => throw Unsupported.Expression(call, "Over distinct values use g.Select(x => ...).Distinct().Count(), .Sum(), .Min() or .Max()."),
            };
        }
        switch (call.Method.Name)
        {
            case nameof(Enumerable.Count) or nameof(Enumerable.LongCount) when lambda is null:
                return new S.FunctionCallExpression("count", S.SyntaxList<S.Expression>.Empty, Star: true);
            case nameof(Enumerable.Count) or nameof(Enumerable.LongCount):
                var matched = new S.CaseExpression(null, S.SyntaxList.Of(new S.WhenClause(OverElement(), Literal(1L))), null);
                return Function("count", matched);
            case nameof(Enumerable.Sum) or nameof(Enumerable.Min) or nameof(Enumerable.Max):
                return Function(call.Method.Name.ToLowerInvariant(), OverElement());
            case nameof(Enumerable.Average):
                return Function("avg", OverElement());
            default:
                throw Unsupported.Expression(call, "On a group use g.Key, g.Count(), g.Count(x => condition), g.LongCount(), g.Sum(x => ...), g.Average(x => ...), g.Min(x => ...) or g.Max(x => ...).");
        }
    }
}
