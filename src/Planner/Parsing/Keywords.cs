using System.Collections.Frozen;

namespace StemeQL.Planner.Parsing;

/// <summary>
/// The keywords of StemeQL and which of them are reserved. Non-reserved keywords also parse as
/// identifiers (the grammar's <c>identifier</c> rule lists them), because several are column names
/// (<c>lsn</c>, <c>weight</c>, <c>confidence</c>, <c>epoch</c>). A test checks this list against the grammar.
/// </summary>
internal static class Keywords
{
    /// <summary>Keywords that cannot be used as identifiers without quotes.</summary>
    public static readonly FrozenSet<string> Reserved = FrozenSet.ToFrozenSet(
    [
        "ASSERT", "VOTE", "SELECT", "EXPLAIN", "IN", "WITH", "FROM", "USING", "AS", "OF", "WHERE",
        "ORDER", "BY", "LIMIT", "OR", "AND", "NOT", "LIKE", "IS", "NULL", "TRUE", "FALSE",
        "DISTINCT", "GROUP", "HAVING", "CASE", "WHEN", "THEN", "ELSE", "END",
    ], StringComparer.OrdinalIgnoreCase);

    /// <summary>Keywords that are also accepted as identifiers.</summary>
    public static readonly FrozenSet<string> NonReserved = FrozenSet.ToFrozenSet(
    [
        "EPOCH", "CONFIDENCE", "DERIVED", "WEIGHT", "LENS", "LSN", "TIMESTAMP", "OFFSET", "ASC", "DESC", "ANALYZE",
    ], StringComparer.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="word"/> is a reserved keyword, in any case.</summary>
    public static bool IsReserved(string word) => Reserved.Contains(word);
}
