using System.Runtime.CompilerServices;

namespace StemeQL.Planner.Syntax;

/// <summary>
/// Where in the command text the parser found a node, kept beside the tree rather than in it so that
/// trees stay equal by content (the LINQ provider builds trees with no text at all). Keyed by the
/// node's identity; nodes built without text have no position.
/// </summary>
internal static class SyntaxPositions
{
    private static readonly ConditionalWeakTable<Expression, StrongBox<(int Line, int Column)>> Positions = new();

    /// <summary>Records that <paramref name="node"/> starts at line <paramref name="line"/> (1-based), column <paramref name="column"/> (0-based).</summary>
    public static void Set(Expression node, int line, int column) => Positions.AddOrUpdate(node, new((line, column)));

    /// <summary>The position of <paramref name="node"/>, if the parser recorded one.</summary>
    public static (int Line, int Column)? Of(Expression node) => Positions.TryGetValue(node, out var box) ? box.Value : null;

    /// <summary>An error about <paramref name="node"/>, prefixed with <c>line L:C</c> and carrying the position when it is known.</summary>
    public static StemeException Error(Expression node, StemeErrorCode code, string message) => Of(node) is { } p
        ? new StemeException(code, $"line {p.Line}:{p.Column} {message}", p.Line, p.Column)
        : new StemeException(code, message);
}
