using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary>The operators the provider translates, by method name, and what to write instead of the others.</summary>
internal static class OperatorLibrary
{
    private static readonly Dictionary<string, QueryOperator> Operators = new(StringComparer.Ordinal)
    {
        [nameof(Queryable.Where)] = new WhereOperator(),
        [nameof(Queryable.Select)] = new SelectOperator(),
        [nameof(Queryable.OrderBy)] = new OrderByOperator(descending: false),
        [nameof(Queryable.OrderByDescending)] = new OrderByOperator(descending: true),
        [nameof(Queryable.ThenBy)] = new ThenByOperator(descending: false),
        [nameof(Queryable.ThenByDescending)] = new ThenByOperator(descending: true),
        [nameof(Queryable.Skip)] = new SkipOperator(),
        [nameof(Queryable.Take)] = new TakeOperator(),
        [nameof(Queryable.Distinct)] = new DistinctOperator(),
        [nameof(Queryable.GroupBy)] = new GroupByOperator(),
        [nameof(Queryable.First)] = new ElementOperator(single: false, orDefault: false),
        [nameof(Queryable.FirstOrDefault)] = new ElementOperator(single: false, orDefault: true),
        [nameof(Queryable.Single)] = new ElementOperator(single: true, orDefault: false),
        [nameof(Queryable.SingleOrDefault)] = new ElementOperator(single: true, orDefault: true),
        [nameof(Queryable.Any)] = new AnyOperator(),
        [nameof(Queryable.All)] = new AllOperator(),
        [nameof(Queryable.Count)] = new CountOperator(isLong: false),
        [nameof(Queryable.LongCount)] = new CountOperator(isLong: true),
        [nameof(Queryable.Sum)] = new AggregateOperator("sum"),
        [nameof(Queryable.Average)] = new AggregateOperator("avg"),
        [nameof(Queryable.Min)] = new AggregateOperator("min"),
        [nameof(Queryable.Max)] = new AggregateOperator("max"),
        [nameof(StemeQueryableExtensions.UsingLens)] = new UsingLensOperator(),
        [nameof(StemeQueryableExtensions.AsOf)] = new AsOfOperator(),
    };

    private static readonly Dictionary<string, string> Instead = new(StringComparer.Ordinal)
    {
        [nameof(Queryable.Last)] = "Sort the other way and take the first: OrderByDescending(x => ...).First().",
        [nameof(Queryable.LastOrDefault)] = "Sort the other way: OrderByDescending(x => ...).FirstOrDefault().",
        [nameof(Queryable.ElementAt)] = "Use Skip(n).First().",
        [nameof(Queryable.ElementAtOrDefault)] = "Use Skip(n).FirstOrDefault().",
        [nameof(Queryable.Reverse)] = "Sort explicitly with OrderByDescending.",
        [nameof(Queryable.Contains)] = "Use Any(x => x.Column == value).",
        [nameof(Queryable.SelectMany)] = "StemeQL has no joins: run two queries.",
        [nameof(Queryable.Join)] = "StemeQL has no joins: run two queries, or filter with a captured list (ids.Contains(x.Hash)).",
        [nameof(Queryable.GroupJoin)] = "StemeQL has no joins: run two queries.",
    };

    /// <summary>The operator for <paramref name="call"/>, or a NotSupportedException saying what to write instead.</summary>
    public static QueryOperator For(MethodCallExpression call)
    {
        var type = call.Method.DeclaringType;
        if ((type == typeof(Queryable) || type == typeof(StemeQueryableExtensions)) && Operators.TryGetValue(call.Method.Name, out var op))
            return op;
        string suggestion = Instead.TryGetValue(call.Method.Name, out var instead) ? instead
            : "Operators that translate: Where, Select, OrderBy(Descending), ThenBy(Descending), Skip, Take, Distinct, GroupBy, First(OrDefault), Single(OrDefault), Any, All, Count, LongCount, Sum, Average, Min, Max, UsingLens, AsOf. Call AsEnumerable() first to continue in memory.";
        throw Unsupported.Operator(call, suggestion);
    }
}
