using StemeQL.Core.Model;
using StemeQL.Planner.Binding.Bound;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Execution.Stages;

/// <summary>Keeps the rows for which a condition is TRUE (WHERE before grouping, HAVING after).</summary>
/// <remarks>The detail is printed only when EXPLAIN asks: a long WHERE is not printed for every plan.</remarks>
internal sealed class FilterStage(Scalar condition, Expression syntax, string name = "Filter") : QueryStage
{
    public override string Operator => name;

    public override string Detail => SyntaxPrinter.Print(syntax);

    // Without statistics on values, a filter is assumed to keep a third of its input.
    public override (double Cost, double Rows) Estimate(double rows) => (rows, Math.Max(1, rows / 3));

    public override IEnumerable<StemeValue[]> Run(IEnumerable<StemeValue[]> input, StageContext context)
    {
        foreach (var row in input)
        {
            if (Truth.IsTrue(condition.Eval(row, context.Parameters))) yield return row;
        }
    }
}
