using StemeQL.Core.Model;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Binding.Bound;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Execution.Stages;

/// <summary>
/// Hash aggregation: one group per distinct key tuple (NULLs group together), each group's row is its
/// keys then its aggregates. Without GROUP BY there is exactly one group, even over no rows, so
/// <c>count(*)</c> of nothing is 0. Groups come out in the order they were first seen.
/// </summary>
internal sealed class AggregateStage(Grouping grouping) : QueryStage
{
    public override string Operator => "Aggregate";

    // Printed only when EXPLAIN asks, as the filter's condition is.
    public override string Detail
    {
        get
        {
            string keys = grouping.KeySyntax.Count == 0 ? "one group" : "GROUP BY " + string.Join(", ", grouping.KeySyntax.Select(SyntaxPrinter.Print));
            string aggregates = string.Join(", ", grouping.Aggregates.Select(a => SyntaxPrinter.Print(a.Syntax)));
            return aggregates.Length == 0 ? keys : $"{keys}: {aggregates}";
        }
    }

    public override (double Cost, double Rows) Estimate(double rows) =>
        (rows, grouping.Keys.Count == 0 ? 1 : Math.Max(1, Math.Sqrt(rows)));

    public override IEnumerable<StemeValue[]> Run(IEnumerable<StemeValue[]> input, StageContext context)
    {
        var groups = new Dictionary<StemeValue[], Accumulator[]>(RowComparer.Instance);
        var order = new List<StemeValue[]>();
        var parameters = context.Parameters;
        int keyCount = grouping.Keys.Count;
        if (keyCount == 0)
        {
            groups[[]] = NewAccumulators();
            order.Add([]);
        }
        foreach (var row in input)
        {
            var key = new StemeValue[keyCount];
            for (int i = 0; i < keyCount; i++) key[i] = grouping.Keys[i].Eval(row, parameters);
            if (!groups.TryGetValue(key, out var accumulators))
            {
                groups[key] = accumulators = NewAccumulators();
                order.Add(key);
            }
            for (int i = 0; i < accumulators.Length; i++)
            {
                var argument = grouping.Aggregates[i].Argument;
                // count(*) counts rows: any non-NULL stand-in will do.
                accumulators[i].Add(argument is null ? StemeValue.Boolean(true) : argument.Eval(row, parameters));
            }
        }
        foreach (var key in order)
        {
            var accumulators = groups[key];
            var output = new StemeValue[keyCount + accumulators.Length];
            key.CopyTo(output, 0);
            for (int i = 0; i < accumulators.Length; i++) output[keyCount + i] = accumulators[i].Result;
            yield return output;
        }
    }

    private Accumulator[] NewAccumulators() =>
        [.. grouping.Aggregates.Select(a => Aggregates.Create(a.Name, a.Distinct))];
}
