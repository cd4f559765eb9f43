using StemeQL.Core.Model;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Execution;
using StemeQL.Planner.Execution.Stages;
using StemeQL.Planner.Syntax;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Plans;

/// <summary>
/// Renders a plan as EXPLAIN rows (step, operator, detail, estimated_cost), one per step: the access
/// path first, then each stage. EXPLAIN ANALYZE runs the query and adds actual_rows and actual_ms.
/// </summary>
internal static class ExplainRenderer
{
    /// <summary>The columns EXPLAIN returns.</summary>
    public static readonly IReadOnlyList<ResultColumn> Columns =
    [
        new("step", ColumnType.Integer), new("operator", ColumnType.Text),
        new("detail", ColumnType.Text), new("estimated_cost", ColumnType.Real),
    ];

    /// <summary>The columns EXPLAIN ANALYZE returns.</summary>
    public static readonly IReadOnlyList<ResultColumn> AnalyzeColumns =
        [.. Columns, new("actual_rows", ColumnType.Integer), new("actual_ms", ColumnType.Real)];

    /// <summary>One row per step; with <paramref name="analyze"/>, after running the query to its end.</summary>
    public static IReadOnlyList<StemeValue[]> Render(QueryPlan plan, IEpistemeStore store, ParameterValues parameters, bool analyze, CancellationToken cancellation)
    {
        var executor = new QueryExecutor(store, parameters);
        double rows = SourceRows(plan, store, executor.Keys(plan));
        var steps = new List<(string Operator, string Detail, double Cost)> { (plan.Access.ToString(), AccessDetail(plan), rows) };
        foreach (var stage in plan.Stages)
        {
            (double cost, rows) = stage.Estimate(rows);
            steps.Add((stage.Operator, stage.Detail, cost));
        }
        StageMeter? meter = null;
        if (analyze)
        {
            meter = new StageMeter(steps.Count);
            foreach (var _ in executor.Run(plan, cancellation, meter)) { }
        }
        return [.. steps.Select((s, i) => Row(i, s, meter))];
    }

    private static StemeValue[] Row(int i, (string Operator, string Detail, double Cost) step, StageMeter? meter)
    {
        var row = new List<StemeValue>
        {
            StemeValue.Integer(i + 1), StemeValue.Text(step.Operator), StemeValue.Text(step.Detail), StemeValue.Real(step.Cost),
        };
        if (meter is not null)
        {
            row.Add(StemeValue.Integer(meter.Rows[i]));
            row.Add(StemeValue.Real(Math.Round(meter.Milliseconds(i), 3)));
        }
        return [.. row];
    }

    private static string AccessDetail(QueryPlan plan)
    {
        if (plan.Relation is null) return plan.Reason;
        string what = plan.Lens is null ? plan.Relation.Name : $"lens {plan.Lens.Name} over {plan.Relation.Name}";
        string asOf = plan.AsOf is null ? "" : $" AS OF {plan.AsOf.Kind.ToString().ToUpperInvariant()} {SyntaxPrinter.Print(plan.AsOf.Value)}";
        string order = plan.IndexOrder is { } index ? $"; in {index.Text} order, no sort"
            : !plan.FollowsLsnOrder ? "" : plan.Query.Order[0].Descending ? "; newest LSN first, no sort" : "; in LSN order, no sort";
        string inPlace = plan.InPlaceColumns is { } columns
            ? $"; reads only {string.Join(", ", columns.Distinct().Select(c => plan.Relation.Columns[c].Name))}, in place"
            : "";
        return $"{what}{asOf}; keys: {plan.KeyDescription}; {plan.Reason}{order}{inPlace}";
    }

    // At EXPLAIN time the parameters are known, so the source is estimated from the store's counts
    // for the actual keys rather than from the plan-time guess.
    private static double SourceRows(QueryPlan plan, IEpistemeStore store, KeyFilter keys) => plan.Access switch
    {
        // A read in an index order stops early: what it is expected to read, not what it could.
        _ when plan.IndexOrder is not null => plan.EstimatedRows,
        AccessPath.MaterializedViewLookup when keys.PinsSubject => (keys.Subjects?.Count ?? 1) * (keys.Predicates?.Count ?? 1),
        AccessPath.MaterializedViewLookup => store.Count(StoreRelation.View, keys, plan.Lens!.Name),
        AccessPath.StatusRead or AccessPath.SingleRow or AccessPath.CountPushdown => 1,
        AccessPath.GroupedCountPushdown or AccessPath.AgentSummary => plan.EstimatedRows,
        AccessPath.IntegrityCheck => store.LastLsn,
        _ when plan.Relation == Relation.Votes => store.Count(StoreRelation.Votes, keys),
        _ => store.Count(StoreRelation.Assertions, keys),
    };
}
