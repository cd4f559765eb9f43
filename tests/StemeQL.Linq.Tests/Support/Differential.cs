using System.Collections;
using System.Globalization;

namespace StemeQL.Linq.Tests.Support;

/// <summary>
/// Runs the same query lambda over LINQ-to-Objects (on rows read back with plain StemeQL) and over the
/// StemeQL provider and checks they agree. A reference result that is empty fails the test, so
/// agreement on "nothing" cannot pass by accident.
/// </summary>
public static class Differential
{
    /// <summary>The sequences agree, in order (or as multisets when <paramref name="ordered"/> is false).</summary>
    public static void Sequence<TRow, T>(IQueryable<TRow> provider, IEnumerable<TRow> reference, Func<IQueryable<TRow>, IQueryable<T>> query, bool ordered = true)
    {
        var expected = query(reference.AsQueryable()).AsEnumerable().Select(x => Canon(x)).ToList();
        Assert.True(expected.Count > 0, "The reference query returned no rows; a differential test must return some.");
        var actual = query(provider).AsEnumerable().Select(x => Canon(x)).ToList();
        if (!ordered)
        {
            expected.Sort(StringComparer.Ordinal);
            actual.Sort(StringComparer.Ordinal);
        }
        Assert.Equal(expected, actual);
    }

    /// <summary>The single results agree, exceptions included (same type and message).</summary>
    public static void Scalar<TRow, T>(IQueryable<TRow> provider, IEnumerable<TRow> reference, Func<IQueryable<TRow>, T> query, bool allowEmpty = false)
    {
        var expected = Outcome(() => query(reference.AsQueryable()));
        if (!allowEmpty) Assert.False(expected is "null" or "0" or "False" or "[]", $"The reference query returned {expected}; a differential test must return something.");
        Assert.Equal(expected, Outcome(() => query(provider)));
    }

    private static string Outcome<T>(Func<T> run)
    {
        try
        {
            return Canon(run());
        }
        catch (InvalidOperationException e)
        {
            return "throws " + e.GetType().Name + ": " + e.Message;
        }
    }

    /// <summary>A value as text that compares structurally (reals to 12 digits, properties by name).</summary>
    public static string Canon(object? value) => value switch
    {
        null => "null",
        string s => "'" + s + "'",
        double d => d.ToString("G12", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        byte[] b => "x" + Convert.ToHexString(b),
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Canon)) + "]",
        _ when value.GetType().IsPrimitive || value is decimal => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => "{" + string.Join(", ", value.GetType().GetProperties().Select(p => p.Name + "=" + Canon(p.GetValue(value)))) + "}",
    };
}
