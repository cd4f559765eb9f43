using StemeQL.Core.Lenses;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Binding;

/// <summary>Resolves a <c>USING LENS</c> clause to its lens, with errors that name the lenses there are.</summary>
internal static class LensResolver
{
    public static ILens Resolve(LensClause clause, Relation relation)
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
}
