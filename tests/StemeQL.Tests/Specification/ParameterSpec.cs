using System.Collections;
using System.Data;

namespace StemeQL.Tests.Specification;

/// <summary>StemeParameter and StemeParameterCollection as the ADO.NET specification describes them.</summary>
public sealed class ParameterSpec : SpecFixture
{
    private static StemeParameterCollection Parameters() => new StemeCommand().Parameters;

    [Fact]
    public void Add_throws_ArgumentNullException_for_null()
    {
        Assert.Throws<ArgumentNullException>(() => Parameters().Add((object)null!));
    }

    [Fact]
    public void Add_of_a_typed_null_throws_ArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => Parameters().Add((StemeParameter)null!));
    }

    [Fact]
    public void Insert_throws_ArgumentNullException_for_null()
    {
        Assert.Throws<ArgumentNullException>(() => Parameters().Insert(0, null!));
    }

    [Fact]
    public void Remove_throws_ArgumentNullException_for_null()
    {
        Assert.Throws<ArgumentNullException>(() => Parameters().Remove(null!));
    }

    [Fact]
    public void Indexer_setters_throw_ArgumentNullException_for_null()
    {
        var parameters = Parameters();
        parameters.AddWithValue("@p", 1);
        Assert.Throws<ArgumentNullException>(() => parameters[0] = null!);
        Assert.Throws<ArgumentNullException>(() => parameters["@p"] = null!);
        Assert.Throws<ArgumentNullException>(() => ((IList)parameters)[0] = null);
        Assert.Throws<ArgumentNullException>(() => ((IDataParameterCollection)parameters)["@p"] = null!);
    }

    [Fact]
    public void Contains_of_a_null_name_is_false()
    {
        Assert.False(Parameters().Contains((string)null!));
    }

    [Fact]
    public void Contains_of_a_null_object_is_false()
    {
        Assert.False(Parameters().Contains((object)null!));
    }

    [Fact]
    public void IndexOf_of_a_null_name_is_minus_one()
    {
        Assert.Equal(-1, Parameters().IndexOf((string)null!));
    }

    [Fact]
    public void IndexOf_of_a_null_object_is_minus_one()
    {
        Assert.Equal(-1, Parameters().IndexOf((object)null!));
    }

    [Fact]
    public void RemoveAt_throws_ArgumentOutOfRangeException_when_empty()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Parameters().RemoveAt(0));
    }

    [Fact]
    public void A_parameter_has_the_specified_defaults()
    {
        var parameter = StemeFactory.Instance.CreateParameter();
        Assert.Equal(DbType.String, parameter.DbType);
        Assert.Equal(ParameterDirection.Input, parameter.Direction);
        Assert.Equal("", parameter.ParameterName);
        Assert.Equal("", parameter.SourceColumn);
        Assert.Null(parameter.Value);
    }

    [Fact]
    public void A_used_parameter_whose_Value_is_null_throws_InvalidOperationException()
    {
        using var command = new StemeCommand("ASSERT ('s', 'p', @o)", Connection);
        command.Parameters.Add(new StemeParameter { ParameterName = "@o" });
        var error = Assert.Throws<InvalidOperationException>(() => command.ExecuteNonQuery());
        Assert.Contains("DBNull.Value", error.Message);
        Assert.Equal(0, CountAssertions());
    }

    [Fact]
    public void An_unused_parameter_whose_Value_is_null_is_ignored()
    {
        using var command = new StemeCommand("ASSERT ('s', 'p', 'o')", Connection);
        command.Parameters.Add(new StemeParameter { ParameterName = "@unused" });
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    [Theory]
    [MemberData(nameof(UnsupportedValues))]
    public void A_used_parameter_of_an_unsupported_type_throws_NotSupportedException(object value)
    {
        using var command = new StemeCommand("ASSERT ('s', 'p', @o)", Connection);
        command.Parameters.AddWithValue("o", value);
        Assert.Throws<NotSupportedException>(() => command.ExecuteNonQuery());
        Assert.Equal(0, CountAssertions());
    }

    [Theory]
    [MemberData(nameof(UnsupportedValues))]
    public void An_unused_parameter_of_an_unsupported_type_is_ignored(object value)
    {
        using var command = new StemeCommand("ASSERT ('s', 'p', 'o')", Connection);
        command.Parameters.AddWithValue("o", value);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    public static TheoryData<object> UnsupportedValues => new() { new object(), TimeSpan.Zero, new List<int> { 1, 2 } };
}
