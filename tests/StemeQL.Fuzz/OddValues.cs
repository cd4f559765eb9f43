using System.Numerics;

namespace StemeQL.Fuzz;

/// <summary>An enum whose values do not fit a long.</summary>
internal enum HugeEnum : ulong
{
    Small = 1,
    Huge = ulong.MaxValue,
}

/// <summary>An enum backed by a signed byte.</summary>
internal enum TinyEnum : sbyte
{
    Negative = -128,
    Positive = 127,
}

/// <summary>Parameter values of unusual CLR types and at the edges of their ranges.</summary>
internal static class OddValues
{
    private static readonly Func<Random, object?>[] Makers =
    [
        _ => null,
        _ => DBNull.Value,
        _ => ulong.MaxValue,
        _ => (ulong)long.MaxValue + 1,
        _ => (ulong)7,
        _ => long.MinValue,
        _ => long.MaxValue,
        _ => int.MinValue,
        _ => (short)-1,
        _ => (sbyte)-128,
        _ => (byte)255,
        _ => (ushort)65535,
        _ => uint.MaxValue,
        _ => decimal.MaxValue,
        _ => decimal.MinValue,
        _ => 0.000000000000000000000000001m,
        _ => double.NaN,
        _ => double.PositiveInfinity,
        _ => double.NegativeInfinity,
        _ => -0.0,
        _ => double.Epsilon,
        _ => double.MaxValue,
        _ => float.NaN,
        _ => float.MinValue,
        _ => (Half)1.5,
        _ => '\0',
        _ => '\uD800',
        _ => '\uFEFF',
        _ => 'x',
        _ => true,
        _ => DateTime.MinValue,
        _ => DateTime.MaxValue,
        _ => new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Local),
        _ => DateTimeOffset.MinValue,
        _ => DateTimeOffset.MaxValue,
        _ => new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(14)),
        _ => TimeSpan.MaxValue,
        _ => DateOnly.MaxValue,
        _ => Guid.Empty,
        _ => Guid.NewGuid(),
        _ => Array.Empty<byte>(),
        r => RandomBytes(r, r.Next(1, 64)),
        r => RandomBytes(r, 1 << 20),
        r => new MemoryStream(RandomBytes(r, 16)),
        _ => new ReadOnlyMemory<byte>([1, 2, 3]),
        _ => new Memory<byte>([0]),
        _ => HugeEnum.Huge,
        _ => HugeEnum.Small,
        _ => TinyEnum.Negative,
        _ => System.Data.DbType.Guid,
        _ => BigInteger.Pow(10, 40),
        _ => Int128.MaxValue,
        _ => new object(),
        _ => new[] { 1, 2, 3 },
        _ => new Uri("http://example.com/"),
        _ => "",
        _ => "\uFEFFbom",
        _ => "a\0b",
        _ => new string('a', 600) + "\0",
        _ => "\uD800",
        _ => "x\uDC00y",
        _ => "\uDBFF\uDFFF",
        _ => "\U0001F600 \u202Eevil\u202C \u0301",
        _ => "%",
        _ => "_%_%_%",
        r => new string((char)r.Next(0x20, 0x7F), r.Next(100_000, 200_000)),
        r => RandomText(r, r.Next(0, 40)),
    ];

    /// <summary>One odd value.</summary>
    public static object? Next(Random random) => Makers[random.Next(Makers.Length)](random);

    /// <summary>Random UTF-16 code units, half-pairs and controls included.</summary>
    public static string RandomText(Random random, int length)
    {
        var chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = random.Next(6) switch
            {
                0 => (char)random.Next(0, 0x20),
                1 => (char)random.Next(0xD800, 0xE000),
                2 => (char)random.Next(0x80, 0xD800),
                3 => (char)random.Next(0xE000, 0x10000),
                _ => (char)random.Next(0x20, 0x7F),
            };
        }
        return new string(chars);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
