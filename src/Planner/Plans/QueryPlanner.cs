using StemeQL.Core.Lenses;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Plans;

/// <summary>
/// The one recipe from a SELECT to its plan: resolve the relation, lens and columns, find the keys the
/// filter pins, then choose the access path and record why.
/// </summary>
internal static class QueryPlanner
{
    /// <summary>Plans <paramref name="select"/> for a store that materializes <paramref name="materializedLenses"/>.</summary>
    public static QueryPlan Plan(SelectStatement select, IReadOnlyCollection<string> materializedLenses)
    {
        var relation = Relation.Find(select.Relation);
        var lens = select.Lens is null ? null : ResolveLens(select.Lens, relation);
        ExpressionWalker.CheckColumns(select.Where, relation);
        foreach (var item in select.OrderBy) ExpressionWalker.CheckColumns(item.Expression, relation);
        var (projection, columns) = Project(select.Columns, relation);

        bool assertions = relation == Relation.Assertions;
        var subject = assertions ? KeyPin.Find(select.Where, "subject") : null;
        var predicate = assertions ? KeyPin.Find(select.Where, "predicate") : null;
        var assertion = assertions ? null : KeyPin.Find(select.Where, "assertion");
        // Ledger reads also seek by hash and by agent. (Under a lens these name the winner, not the
        // candidates the lens reads, so lens plans leave them to the filter.)
        bool ledger = lens is null && relation != Relation.Status;
        var hash = ledger && assertions ? KeyPin.Find(select.Where, "hash") : null;
        var agent = ledger ? KeyPin.Find(select.Where, "agent") : null;
        var (access, reason) = relation == Relation.Status
            ? (AccessPath.StatusRead, "the status of the write path")
            : ChooseAccess(lens, select.AsOf, subject, materializedLenses);

        // The store matches hashes by value, so hex in either case finds the assertion: the text
        // comparison in the filter would not, and the seek has already applied that condition.
        var where = Without(select.Where, hash?.Conjunct ?? assertion?.Conjunct);
        return new QueryPlan(relation, lens, access, reason, subject, predicate, assertion, select.AsOf,
            where, select.OrderBy, select.Limit, select.Offset, projection, columns) { Hash = hash, Agent = agent };
    }

    private static Expression? Without(Expression? where, Expression? conjunct)
    {
        if (conjunct is null) return where;
        Expression? rest = null;
        foreach (var c in ExpressionWalker.Conjuncts(where))
        {
            if (ReferenceEquals(c, conjunct)) continue;
            rest = rest is null ? c : new BinaryExpression(BinaryOperator.And, rest, c);
        }
        return rest;
    }

    private static (AccessPath, string) ChooseAccess(ILens? lens, AsOfClause? asOf, KeyPin? subject,
        IReadOnlyCollection<string> materializedLenses)
    {
        if (lens is null)
            return (AccessPath.LedgerScan, "no lens: every matching row of the ledger is returned");
        if (!materializedLenses.Contains(lens.Name))
            return (AccessPath.LensScan, $"lens {lens.Name} is not materialized by this store");
        if (asOf is not null)
            return (AccessPath.LensScan, "AS OF reads history, which the materialized view does not keep");
        if (subject is null)
            return (AccessPath.LensScan, "the filter does not pin the subject (subject = value or subject IN (...)), so every matching candidate set is evaluated");
        return (AccessPath.MaterializedViewLookup, $"lens {lens.Name} is materialized and the filter pins the subject");
    }

    private static ILens ResolveLens(LensClause clause, Relation relation)
    {
        if (relation != Relation.Assertions)
            throw new StemeException(StemeErrorCode.NotSupported,
                $"A lens resolves assertions, not {relation.Name}: write FROM assertions USING LENS {clause.Name}, or drop USING LENS.");
        if (LensNames.Planned.Contains(clause.Name, StringComparer.OrdinalIgnoreCase))
            throw new StemeException(StemeErrorCode.NotSupported,
                $"The lens {clause.Name.ToLowerInvariant()} is planned but not available in this version: use {string.Join(" or ", LensNames.Available.Keys)}.");
        if (!LensNames.Available.TryGetValue(clause.Name, out var lens))
            throw new StemeException(StemeErrorCode.UnknownLens,
                $"There is no lens '{clause.Name}': use one of {string.Join(", ", LensNames.Available.Keys)}.");
        if (clause.Options.Count > 0)
            throw new StemeException(StemeErrorCode.InvalidLensOption,
                $"The lens {lens.Name} takes no options, but '{clause.Options[0].Name}' was given: remove the parenthesised options.");
        return lens;
    }

    private static (IReadOnlyList<int>, IReadOnlyList<ResultColumn>) Project(SyntaxList<SelectItem>? items, Relation relation)
    {
        if (items is null)
            return (Enumerable.Range(0, relation.Columns.Count).ToArray(), relation.Columns);
        var ordinals = items.Select(item => relation.Ordinal(item.Column)).ToArray();
        var columns = items.Select((item, i) => relation.Columns[ordinals[i]] with { Name = item.Alias ?? relation.Columns[ordinals[i]].Name }).ToArray();
        return (ordinals, columns);
    }
}
