using StemeQL.Core.Model;

namespace StemeQL.Core.Tests;

public sealed class StemeValueTests
{
    [Fact]
    public void Equality_is_typed()
    {
        Assert.NotEqual(StemeValue.Integer(1), StemeValue.Real(1.0));
        Assert.NotEqual(StemeValue.Integer(1), StemeValue.Text("1"));
        Assert.NotEqual(StemeValue.Integer(1), StemeValue.Boolean(true));
        Assert.Equal(StemeValue.Bytes([1, 2]), StemeValue.Bytes([1, 2]));
        Assert.Equal(StemeValue.Text("a").GetHashCode(), StemeValue.Text("a").GetHashCode());
    }

    [Fact]
    public void Sql_comparison_crosses_numeric_kinds_only()
    {
        Assert.Equal(0, StemeValue.Integer(1).CompareSql(StemeValue.Real(1.0)));
        Assert.True(StemeValue.Integer(2).CompareSql(StemeValue.Real(1.5)) > 0);
        Assert.Null(StemeValue.Integer(1).CompareSql(StemeValue.Text("1")));
        Assert.Null(StemeValue.Null.CompareSql(StemeValue.Null));
        Assert.True(StemeValue.Text("a").CompareSql(StemeValue.Text("b")) < 0);
    }

    [Fact]
    public void Text_orders_by_code_point_like_sqlite()
    {
        // U+FF61 sorts before U+1F600 by code point, but after its surrogate pair in UTF-16.
        Assert.True(StemeValue.Text("\uFF61").CompareSql(StemeValue.Text("\U0001F600")) < 0);
    }

    [Fact]
    public void Sort_order_puts_null_then_numbers_then_text()
    {
        var values = new[] { StemeValue.Text("a"), StemeValue.Integer(3), StemeValue.Null, StemeValue.Real(1.5), StemeValue.Boolean(false) };
        var sorted = values.OrderBy(v => v, Comparer<StemeValue>.Create((a, b) => a.CompareForSort(b))).ToArray();
        Assert.Equal([StemeValue.Null, StemeValue.Real(1.5), StemeValue.Integer(3), StemeValue.Text("a"), StemeValue.Boolean(false)], sorted);
    }

    [Fact]
    public void ToClr_gives_the_documented_types()
    {
        Assert.Equal("t", StemeValue.Text("t").ToClr());
        Assert.Equal(5L, StemeValue.Integer(5).ToClr());
        Assert.Equal(0.5, StemeValue.Real(0.5).ToClr());
        Assert.Equal(true, StemeValue.Boolean(true).ToClr());
        Assert.Null(StemeValue.Null.ToClr());
        var time = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.Equal(time, StemeValue.Timestamp(time).ToClr());
    }

    [Fact]
    public void Weights_sum_exactly_in_fixed_point()
    {
        long sum = Weights.ToUnits(0.1) + Weights.ToUnits(0.2);
        Assert.Equal(Weights.ToUnits(0.3), sum);
        Assert.Equal(0.3, Weights.FromUnits(sum));
    }
}
