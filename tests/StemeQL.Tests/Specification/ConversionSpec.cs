namespace StemeQL.Tests.Specification;

/// <summary>What the typed getters convert, and that a conversion which would lose data throws.</summary>
public sealed class ConversionSpec : SpecFixture
{
    private StemeDataReader Read(string literal)
    {
        StoreObject(literal);
        return ReadObject();
    }

    [Fact]
    public void GetInt32_reads_an_integer_in_range()
    {
        using var reader = Read("2147483647");
        Assert.Equal(int.MaxValue, reader.GetInt32(0));
    }

    [Fact]
    public void GetInt32_throws_OverflowException_for_an_integer_out_of_range()
    {
        using var reader = Read("2147483648");
        Assert.Throws<OverflowException>(() => reader.GetInt32(0));
    }

    [Fact]
    public void GetInt16_and_GetByte_throw_OverflowException_for_an_integer_out_of_range()
    {
        using var reader = Read("-40000");
        Assert.Throws<OverflowException>(() => reader.GetInt16(0));
        Assert.Throws<OverflowException>(() => reader.GetByte(0));
    }

    [Fact]
    public void GetFloat_throws_OverflowException_for_a_double_beyond_the_float_range()
    {
        using var reader = Read("1.79e308");
        Assert.Throws<OverflowException>(() => reader.GetFloat(0));
    }

    [Fact]
    public void GetFloat_throws_InvalidCastException_for_a_double_that_would_become_zero()
    {
        using var reader = Read("2.23e-308");
        Assert.Throws<InvalidCastException>(() => reader.GetFloat(0));
    }

    [Fact]
    public void GetFloat_reads_a_double_within_the_float_range()
    {
        using var reader = Read("1.5");
        Assert.Equal(1.5f, reader.GetFloat(0));
    }

    [Fact]
    public void GetDecimal_throws_OverflowException_for_a_double_beyond_the_decimal_range()
    {
        using var reader = Read("1e300");
        Assert.Throws<OverflowException>(() => reader.GetDecimal(0));
    }

    [Fact]
    public void GetInt64_throws_InvalidCastException_for_a_fraction()
    {
        using var reader = Read("2.5");
        Assert.Throws<InvalidCastException>(() => reader.GetInt64(0));
    }

    [Fact]
    public void GetInt64_reads_a_whole_double()
    {
        using var reader = Read("3.0");
        Assert.Equal(3L, reader.GetInt64(0));
    }

    [Fact]
    public void GetDouble_throws_InvalidCastException_for_an_integer_a_double_cannot_hold_exactly()
    {
        using var reader = Read("9007199254740993");
        Assert.Throws<InvalidCastException>(() => reader.GetDouble(0));
    }

    [Fact]
    public void GetInt32_throws_InvalidCastException_for_a_boolean()
    {
        using var reader = Read("TRUE");
        Assert.Throws<InvalidCastException>(() => reader.GetInt32(0));
    }

    [Fact]
    public void GetDouble_throws_InvalidCastException_for_a_boolean()
    {
        using var reader = Read("FALSE");
        Assert.Throws<InvalidCastException>(() => reader.GetDouble(0));
    }

    [Fact]
    public void GetBoolean_throws_InvalidCastException_for_an_integer()
    {
        using var reader = Read("1");
        Assert.Throws<InvalidCastException>(() => reader.GetBoolean(0));
    }

    [Fact]
    public void GetDateTime_throws_InvalidCastException_for_an_integer()
    {
        using var reader = Read("1");
        Assert.Throws<InvalidCastException>(() => reader.GetDateTime(0));
    }

    [Fact]
    public void GetGuid_throws_InvalidCastException_for_text_that_is_not_a_guid()
    {
        using var reader = Read("'not a guid'");
        Assert.Throws<InvalidCastException>(() => reader.GetGuid(0));
    }

    [Fact]
    public void GetString_reads_a_number_in_its_text_form()
    {
        using var reader = Read("42");
        Assert.Equal("42", reader.GetString(0));
    }

    [Fact]
    public void GetStream_reads_a_bytes_value()
    {
        using var reader = Read("X'1122'");
        using var stream = reader.GetStream(0);
        Assert.Equal(0x11, stream.ReadByte());
        Assert.Equal(2, stream.Length);
    }

    [Fact]
    public void GetFieldValue_of_Stream_reads_a_bytes_value()
    {
        using var reader = Read("X'1122'");
        using var stream = reader.GetFieldValue<Stream>(0);
        Assert.Equal(0x11, stream.ReadByte());
    }

    [Fact]
    public void GetStream_throws_InvalidCastException_on_NULL()
    {
        using var reader = Read("X'11'");
        Assert.Throws<InvalidCastException>(() => reader.GetStream(1));
    }

    [Fact]
    public void GetFieldValue_of_Stream_throws_InvalidCastException_on_NULL()
    {
        using var reader = Read("X'11'");
        Assert.Throws<InvalidCastException>(() => reader.GetFieldValue<Stream>(1));
    }

    [Fact]
    public void GetBytes_throws_InvalidCastException_on_NULL()
    {
        using var reader = Read("X'11'");
        Assert.Throws<InvalidCastException>(() => reader.GetBytes(1, 0, new byte[1], 0, 1));
    }

    [Fact]
    public void GetBytes_reads_part_of_a_value_into_the_buffer()
    {
        using var reader = Read("X'01020304'");
        var buffer = new byte[5];
        Assert.Equal(2, reader.GetBytes(0, 1, buffer, 2, 2));
        Assert.Equal(new byte[] { 0, 0, 2, 3, 0 }, buffer);
    }
}
