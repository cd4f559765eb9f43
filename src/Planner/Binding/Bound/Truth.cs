using StemeQL.Core.Model;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Binding.Bound;

/// <summary>
/// The truth rules of conditions (WHERE, HAVING, CASE WHEN, AND, OR, NOT): a boolean is itself, a
/// number is true when it is not zero, NULL is unknown, and any other value is a type mismatch rather
/// than a silent false.
/// </summary>
internal static class Truth
{
    /// <summary>True, false, or null for unknown.</summary>
    public static bool? Of(StemeValue value) => value.Kind switch
    {
        ValueKind.Null => null,
        ValueKind.Boolean => value.AsBoolean,
        ValueKind.Integer or ValueKind.Real => value.AsReal != 0,
        _ => throw NotACondition(value.Kind.ToString().ToLowerInvariant(), value.ToString()),
    };

    /// <summary>True only when the value is TRUE by the rules above (WHERE and HAVING keep such rows).</summary>
    public static bool IsTrue(StemeValue value) => Of(value) == true;

    /// <summary>Fails at bind time, at <paramref name="at"/>'s position, for a condition whose type can never be true or false.</summary>
    public static void CheckCondition(Scalar condition, Expression at, string clause)
    {
        if (condition.Type is ColumnType.Text or ColumnType.Bytes or ColumnType.Timestamp)
            throw SyntaxPositions.Error(at, StemeErrorCode.TypeMismatch,
                $"{clause} needs a condition, but this expression is {condition.Type.ToString().ToLowerInvariant()}: compare it, for example column = value or column IS NOT NULL.");
    }

    private static StemeException NotACondition(string kind, string shown) => new(StemeErrorCode.TypeMismatch,
        $"The {kind} {shown} is not a condition: compare it, for example column = value or column IS NOT NULL.");
}
