using StemeQL.Core.Model;
using StemeQL.Planner.Binding;

namespace StemeQL.Planner.Execution.Stages;

/// <summary>What one execution of a plan carries through its stages.</summary>
internal sealed class StageContext(ParameterValues parameters, CancellationToken cancellation)
{
    public ParameterValues Parameters => parameters;

    public CancellationToken Cancellation => cancellation;

    /// <summary>OFFSET, evaluated once per execution.</summary>
    public long Offset { get; init; }

    /// <summary>LIMIT, evaluated once per execution; null for none.</summary>
    public long? Limit { get; init; }
}

/// <summary>
/// One step of a query after its access path: it pulls rows from the stage before it and streams its
/// own. Stages are immutable parts of a cached plan; all per-execution state lives in the enumerators.
/// An input row may be a buffer the source fills again for the next row, so a stage that keeps
/// anything of a row past asking for the next one copies the values out (as aggregate, distinct and
/// sort do, on rows they made themselves).
/// </summary>
internal abstract class QueryStage
{
    /// <summary>The operator name EXPLAIN prints.</summary>
    public abstract string Operator { get; }

    /// <summary>What EXPLAIN prints about it.</summary>
    public abstract string Detail { get; }

    /// <summary>The estimated cost of this stage given <paramref name="rows"/> input rows, and the rows it passes on.</summary>
    public abstract (double Cost, double Rows) Estimate(double rows);

    /// <summary>Runs the stage over <paramref name="input"/>.</summary>
    public abstract IEnumerable<StemeValue[]> Run(IEnumerable<StemeValue[]> input, StageContext context);
}
