using System.Globalization;

namespace StemeQL.Core.Model;

/// <summary>
/// Weights (confidences and vote weights) and the exact fixed-point sums the lenses compare.
/// Support is summed in integer units of 1e-9 so that an incremental view and an O(N) recomputation
/// add the same numbers in any order and break ties the same way.
/// </summary>
public static class Weights
{
    /// <summary>Fixed-point units per 1.0 of weight.</summary>
    public const long UnitsPerOne = 1_000_000_000;

    /// <summary>A weight as fixed-point units.</summary>
    public static long ToUnits(double weight) => (long)Math.Round(weight * UnitsPerOne, MidpointRounding.AwayFromZero);

    /// <summary>Fixed-point units as a weight.</summary>
    public static double FromUnits(long units) => (double)units / UnitsPerOne;

    /// <summary>Throws a <see cref="StemeException"/> with <paramref name="code"/> unless 0 &lt;= weight &lt;= 1.</summary>
    public static void Validate(double weight, StemeErrorCode code, string what)
    {
        if (double.IsNaN(weight) || weight < 0 || weight > 1)
        {
            throw new StemeException(code,
                $"The {what} {weight.ToString(CultureInfo.InvariantCulture)} is outside [0, 1]: use a number from 0 (certainly false) to 1 (certainly true).");
        }
    }
}
