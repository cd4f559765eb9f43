namespace StemeQL.Planner.Syntax;

/// <summary>
/// Where in the command text the parser found a node. The position is carried by the node but is not
/// part of its value (trees stay equal by content); nodes built without text have no position.
/// </summary>
internal static class SyntaxPositions
{
    /// <summary>Records that <paramref name="node"/> starts at line <paramref name="line"/> (1-based), column <paramref name="column"/> (0-based).</summary>
    public static void Set(Expression node, int line, int column) => node.Position = (line, column);

    /// <summary>The position of <paramref name="node"/>, if the parser recorded one.</summary>
    public static (int Line, int Column)? Of(Expression node) => node.Position;

    /// <summary>An error about <paramref name="node"/>, prefixed with <c>line L:C</c> and carrying the position when it is known.</summary>
    public static StemeException Error(Expression node, StemeErrorCode code, string message) => Of(node) is { } p
        ? new StemeException(code, $"line {p.Line}:{p.Column} {message}", p.Line, p.Column)
        : new StemeException(code, message);
}
