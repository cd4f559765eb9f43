using StemeQL.Core.Model;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Binding.Bound;

namespace StemeQL.Planner.Execution.Stages;

/// <summary>
/// Computes the select list, followed by the ORDER BY keys when the query sorts (the sort reads them
/// there, and the executor drops them before the rows leave the plan).
/// </summary>
internal sealed class ProjectStage(IReadOnlyList<Scalar> projection, IReadOnlyList<SortKey> order, string detail) : QueryStage
{
    public override string Operator => "Project";

    public override string Detail => detail;

    public override (double Cost, double Rows) Estimate(double rows) => (rows, rows);

    public override IEnumerable<StemeValue[]> Run(IEnumerable<StemeValue[]> input, StageContext context)
    {
        foreach (var row in input) yield return Project(row, context.Parameters);
    }

    /// <summary>The output row of one input row (the source calls this itself when projecting is the only stage).</summary>
    public StemeValue[] Project(StemeValue[] row, ParameterValues parameters)
    {
        int width = projection.Count;
        var output = new StemeValue[width + order.Count];
        for (int i = 0; i < width; i++) output[i] = projection[i].Eval(row, parameters);
        for (int i = 0; i < order.Count; i++) output[width + i] = order[i].Key.Eval(row, parameters);
        return output;
    }
}

/// <summary>SELECT DISTINCT: the first row of each distinct select list passes.</summary>
internal sealed class DistinctStage(int width) : QueryStage
{
    public override string Operator => "Distinct";

    public override string Detail => $"on the {width} selected column{(width == 1 ? "" : "s")}";

    public override (double Cost, double Rows) Estimate(double rows) => (rows, Math.Max(1, rows / 2));

    public override IEnumerable<StemeValue[]> Run(IEnumerable<StemeValue[]> input, StageContext context)
    {
        var seen = new HashSet<StemeValue[]>(RowComparer.Instance);
        foreach (var row in input)
        {
            if (seen.Add(row.AsSpan(0, width).ToArray())) yield return row;
        }
    }
}

/// <summary>LIMIT / OFFSET.</summary>
internal sealed class LimitStage(string detail) : QueryStage
{
    public override string Operator => "Limit";

    public override string Detail => detail;

    public override (double Cost, double Rows) Estimate(double rows) => (1, rows);

    public override IEnumerable<StemeValue[]> Run(IEnumerable<StemeValue[]> input, StageContext context)
    {
        long skip = context.Offset;
        long? take = context.Limit;
        if (take == 0) yield break;
        foreach (var row in input)
        {
            if (skip > 0)
            {
                skip--;
                continue;
            }
            yield return row;
            if (take is not null && --take == 0) yield break;
        }
    }
}
