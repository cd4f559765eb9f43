using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary>The one way the provider refuses an expression: naming it and saying what to write instead.</summary>
internal static class Unsupported
{
    /// <summary>A <see cref="NotSupportedException"/> for <paramref name="expression"/> with a suggestion.</summary>
    public static NotSupportedException Expression(Expression expression, string suggestion) =>
        new($"The LINQ expression '{expression}' cannot be translated to StemeQL. {suggestion}");

    /// <summary>A <see cref="NotSupportedException"/> for an operator in the wrong place or form.</summary>
    public static NotSupportedException Operator(MethodCallExpression call, string suggestion) =>
        new($"The LINQ operator '{call.Method.Name}' in '{call}' cannot be translated to StemeQL. {suggestion}");
}
