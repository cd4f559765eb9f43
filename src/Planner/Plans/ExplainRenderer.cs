using StemeQL.Core.Model;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Execution;
using StemeQL.Planner.Syntax;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Plans;

/// <summary>Renders a plan as EXPLAIN rows: step, operator, detail, estimated_cost.</summary>
internal static class ExplainRenderer
{
    /// <summary>The columns EXPLAIN returns.</summary>
    public static readonly IReadOnlyList<ResultColumn> Columns =
    [
        new("step", ColumnType.Integer), new("operator", ColumnType.Text),
        new("detail", ColumnType.Text), new("estimated_cost", ColumnType.Real),
    ];

    /// <summary>One row per pipeline stage, access path first.</summary>
    public static IEnumerable<StemeValue[]> Render(QueryPlan plan, IEpistemeStore store, ParameterValues parameters)
    {
        var executor = new QueryExecutor(store, parameters);
        var keys = executor.Keys(plan);
        double rows = Estimate(plan, store, keys);
        var steps = new List<(string Operator, string Detail, double Cost)>
        {
            (plan.Access.ToString(), AccessDetail(plan), rows),
        };
        if (plan.Where is not null) steps.Add(("Filter", SyntaxPrinter.Print(plan.Where), rows));
        if (plan.OrderBy.Count > 0 && !plan.FollowsLsnOrder)
        {
            string order = string.Join(", ", plan.OrderBy.Select(o => SyntaxPrinter.Print(o.Expression) + (o.Descending ? " DESC" : "")));
            steps.Add(("Sort", order, rows * Math.Max(1, Math.Log2(Math.Max(rows, 1)))));
        }
        if (plan.Limit is not null || plan.Offset is not null)
            steps.Add(("Limit", $"LIMIT {Print(plan.Limit)} OFFSET {Print(plan.Offset) ?? "0"}", 1));
        steps.Add(("Project", string.Join(", ", plan.Columns.Select(c => c.Name)), rows));
        return steps.Select((s, i) => new[]
        {
            StemeValue.Integer(i + 1), StemeValue.Text(s.Operator), StemeValue.Text(s.Detail), StemeValue.Real(s.Cost),
        });
    }

    private static string AccessDetail(QueryPlan plan)
    {
        string what = plan.Lens is null ? plan.Relation.Name : $"lens {plan.Lens.Name} over {plan.Relation.Name}";
        string asOf = plan.AsOf is null ? "" : $" AS OF {plan.AsOf.Kind.ToString().ToUpperInvariant()} {SyntaxPrinter.Print(plan.AsOf.Value)}";
        string order = !plan.FollowsLsnOrder ? "" : plan.OrderBy[0].Descending ? "; newest LSN first, no sort" : "; in LSN order, no sort";
        return $"{what}{asOf}; keys: {plan.KeyDescription}; {plan.Reason}{order}";
    }

    private static double Estimate(QueryPlan plan, IEpistemeStore store, KeyFilter keys) => plan.Access switch
    {
        // One index seek per pinned (subject, predicate) pair.
        AccessPath.MaterializedViewLookup => (keys.Subjects?.Count ?? 1) * (keys.Predicates?.Count ?? 1),
        AccessPath.StatusRead => 1,
        _ when plan.Relation == Relation.Votes => store.Count(StoreRelation.Votes, keys),
        _ => store.CountAssertions(keys),
    };

    private static string? Print(Expression? e) => e is null ? null : SyntaxPrinter.Print(e);
}
