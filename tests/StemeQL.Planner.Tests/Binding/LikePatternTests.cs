using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using StemeQL.Planner.Binding;

namespace StemeQL.Planner.Tests.Binding;

public sealed class LikePatternTests
{
    [Theory]
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "a_c", true)]
    [InlineData("abc", "%", true)]
    [InlineData("", "%", true)]
    [InlineData("", "", true)]
    [InlineData("", "_", false)]
    [InlineData("abc", "%c", true)]
    [InlineData("abc", "a%", true)]
    [InlineData("abc", "%b%", true)]
    [InlineData("abc", "%d%", false)]
    [InlineData("aXbXc", "a%b%c", true)]
    [InlineData("abab", "%ab", true)]
    [InlineData("aab", "a%ab", true)]
    [InlineData("ab", "a%ab", false)]
    [InlineData("abc", "ABC", false)]
    public void Matches_follows_SQL_LIKE(string text, string pattern, bool expected) =>
        Assert.Equal(expected, LikePattern.Matches(text, pattern));

    [Fact]
    public void Matches_agrees_with_a_regular_expression_on_random_inputs()
    {
        var random = new Random(1234);
        int matched = 0;
        for (int i = 0; i < 20_000; i++)
        {
            string text = RandomString(random, "ab", random.Next(0, 12));
            string pattern = RandomString(random, "ab%_", random.Next(0, 8));
            bool expected = Regex.IsMatch(text, "^" + string.Concat(pattern.Select(c => c switch { '%' => ".*", '_' => ".", _ => Regex.Escape(c.ToString()) })) + "$", RegexOptions.Singleline);
            Assert.True(expected == LikePattern.Matches(text, pattern), $"'{text}' LIKE '{pattern}' should be {expected}");
            if (expected) matched++;
        }
        Assert.InRange(matched, 1000, 19_000);   // both outcomes were exercised
    }

    [Theory]
    [InlineData("%a")]      // the 50,000-character pattern below, cut by % into one-letter segments
    [InlineData("a")]       // one long segment, found with KMP
    [InlineData("%ab")]
    public void Matches_is_fast_for_a_long_value_and_a_long_pattern(string unit)
    {
        string letters = unit.Replace("%", "", StringComparison.Ordinal);
        string text = string.Concat(Enumerable.Repeat(letters, 200_000 / letters.Length));
        string pattern = "%" + string.Concat(Enumerable.Repeat(unit, 50_000 / unit.Length)) + "c%";
        var watch = Stopwatch.StartNew();
        Assert.False(LikePattern.Matches(text, pattern));
        Assert.True(LikePattern.Matches(text + "c", pattern));
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Matches_gives_up_with_NotSupported_rather_than_run_for_minutes_on_long_underscore_segments()
    {
        string text = new string('a', 200_000);
        string pattern = "%" + new string('_', 25_000) + "b" + new string('_', 25_000) + "%";
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<StemeException>(() => LikePattern.Matches(text, pattern));
        Assert.Equal(StemeErrorCode.NotSupported, error.ErrorCode);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.True(LikePattern.Matches("xxabyy", "%a_y%"));
    }

    private static string RandomString(Random random, string alphabet, int length)
    {
        var builder = new StringBuilder(length);
        for (int i = 0; i < length; i++) builder.Append(alphabet[random.Next(alphabet.Length)]);
        return builder.ToString();
    }
}
