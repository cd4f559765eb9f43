using StemeQL.Core.Lenses;
using StemeQL.Planner.Binding.Bound;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Binding;

/// <summary>
/// A SELECT after binding: what it reads, its filter on the input row, its grouping (keys bound on the
/// input row, aggregates after them), and the select list, HAVING and sort keys bound on the row the
/// query projects from (the input row, or the group row when it aggregates).
/// </summary>
internal sealed record BoundSelect(
    Relation? Relation,
    ILens? Lens,
    AsOfClause? AsOf,
    Expression? Where,
    Scalar? Filter,
    Grouping? Grouping,
    Scalar? Having,
    IReadOnlyList<Scalar> Projection,
    IReadOnlyList<ResultColumn> Columns,
    IReadOnlyList<SortKey> Order,
    bool Distinct,
    Expression? Limit,
    Expression? Offset)
{
    /// <summary>
    /// A bit per input column ordinal that a clause other than WHERE reads (see <see cref="ColumnUse"/>);
    /// all set unless the binder says otherwise.
    /// </summary>
    public ulong ReadColumns { get; init; } = ulong.MaxValue;

    /// <summary>A bit per input column ordinal that WHERE reads; all set unless the binder says otherwise.</summary>
    public ulong FilterColumns { get; init; } = ulong.MaxValue;
}

/// <summary>GROUP BY keys (bound on the input row) and the aggregates computed per group.</summary>
internal sealed record Grouping(IReadOnlyList<Scalar> Keys, IReadOnlyList<AggregateCall> Aggregates, IReadOnlyList<Expression> KeySyntax);

/// <summary>One ORDER BY key, bound on the row the query projects from.</summary>
internal sealed record SortKey(Scalar Key, bool Descending, string Text);
