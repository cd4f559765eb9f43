using StemeQL.Core.Model;

namespace StemeQL.TestSupport;

/// <summary>
/// One awkward value: <see cref="Parameter"/> is the CLR value a caller writes, <see cref="Expected"/>
/// what every layer must give back (the same, except where StemeQL documents a normalisation: an
/// unpaired surrogate becomes U+FFFD, -0.0 becomes 0.0).
/// </summary>
public sealed record AwkwardValue(string Name, object Parameter, StemeValue Expected)
{
    /// <summary>The value as a StemeQL value (normalised as <see cref="StemeValue"/> normalises).</summary>
    public StemeValue Value => Parameter switch
    {
        string text => StemeValue.Text(text),
        long integer => StemeValue.Integer(integer),
        double real => StemeValue.Real(real),
        bool boolean => StemeValue.Boolean(boolean),
        byte[] bytes => StemeValue.Bytes(bytes),
        _ => throw new InvalidOperationException($"{Parameter.GetType()} is not an object type."),
    };

    /// <summary>The text as the caller wrote it (unpaired surrogates too), for text values.</summary>
    public string RawText => (string)Parameter;

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// The one table of awkward values that drives the hash, journal, store and provider tests (the idea of
/// ClickHouse.Client's TestUtilities): linked into every test project from tests/Shared.
/// </summary>
public static class AwkwardValues
{
    /// <summary>Text longer than the 512 characters some bindings copy on the stack, with U+0000 inside.</summary>
    public static readonly string LongTextWithNul = new string('n', 300) + "\0" + new string('u', 300) + "\0l";

    /// <summary>One mebibyte of text mixing one-, two-, three- and four-byte UTF-8 characters.</summary>
    public static readonly string MegabyteText = string.Concat(Enumerable.Repeat("aé中😀", (1 << 20) / 5));

    /// <summary>Every value, by name.</summary>
    public static readonly IReadOnlyList<AwkwardValue> All =
    [
        Same("plain text", StemeValue.Text("france")),
        Same("empty text", StemeValue.Text("")),
        Same("leading byte-order mark", StemeValue.Text("\uFEFFbom")),
        Same("only a byte-order mark", StemeValue.Text("\uFEFF")),
        Same("leading reversed byte-order mark", StemeValue.Text("\uFFFEx")),
        Same("byte-order mark inside", StemeValue.Text("a\uFEFFb")),
        Same("NUL inside", StemeValue.Text("a\0b")),
        Same("only NUL", StemeValue.Text("\0")),
        Same("NUL in text over 512 characters", StemeValue.Text(LongTextWithNul)),
        Same("NUL leading text over 512 characters", StemeValue.Text("\0" + new string('x', 700))),
        Same("every Unicode plane", StemeValue.Text(EveryPlane())),
        Same("noncharacters and private use", StemeValue.Text("\uFFFF\uFDD0\uE000\U000FFFFD\U0010FFFF")),
        Same("combining marks and right-to-left", StemeValue.Text("e\u0301\u0308 \u05E9\u05DC\u05D5\u05DD \u202Eabc")),
        Same("control characters", StemeValue.Text("\t\r\n\u0001\u001F\u007F\u0085\u2028")),
        Same("one mebibyte of text", StemeValue.Text(MegabyteText)),
        new("unpaired high surrogate", "x\uD800", StemeValue.Text("x\uFFFD")),
        new("unpaired low surrogate", "\uDC00y", StemeValue.Text("\uFFFDy")),
        new("reversed surrogate pair", "\uDE00\uD83D", StemeValue.Text("\uFFFD\uFFFD")),
        Same("zero", StemeValue.Integer(0)),
        Same("minus one", StemeValue.Integer(-1)),
        Same("smallest integer", StemeValue.Integer(long.MinValue)),
        Same("largest integer", StemeValue.Integer(long.MaxValue)),
        Same("int.MinValue", StemeValue.Integer(int.MinValue)),
        Same("real zero", StemeValue.Real(0.0)),
        new("negative zero", -0.0, StemeValue.Real(0.0)),
        Same("smallest positive real", StemeValue.Real(double.Epsilon)),
        Same("smallest negative real", StemeValue.Real(-double.Epsilon)),
        Same("subnormal real", StemeValue.Real(2.5e-310)),
        Same("largest real", StemeValue.Real(double.MaxValue)),
        Same("most negative real", StemeValue.Real(double.MinValue)),
        Same("positive infinity", StemeValue.Real(double.PositiveInfinity)),
        Same("negative infinity", StemeValue.Real(double.NegativeInfinity)),
        Same("NaN", StemeValue.Real(double.NaN)),
        Same("one tenth", StemeValue.Real(0.1)),
        Same("true", StemeValue.Boolean(true)),
        Same("false", StemeValue.Boolean(false)),
        Same("empty bytes", StemeValue.Bytes([])),
        Same("one zero byte", StemeValue.Bytes([0])),
        Same("every byte", StemeValue.Bytes(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray())),
        Same("bytes that look like a byte-order mark", StemeValue.Bytes([0xFF, 0xFE, 0x41, 0x00])),
        Same("one mebibyte of bytes", StemeValue.Bytes(Enumerable.Range(0, 1 << 20).Select(i => (byte)(i * 31 + (i >> 8))).ToArray())),
    ];

    /// <summary>The text values only (they can also be subjects and predicates).</summary>
    public static IEnumerable<AwkwardValue> Texts => All.Where(v => v.Parameter is string);

    /// <summary>xunit member data: the name of every value (look it up with <see cref="Named"/>).</summary>
    public static IEnumerable<object[]> Names => All.Select(v => new object[] { v.Name });

    /// <summary>xunit member data: the name of every text value.</summary>
    public static IEnumerable<object[]> TextNames => Texts.Select(v => new object[] { v.Name });

    /// <summary>The value with this name.</summary>
    public static AwkwardValue Named(string name) => All.Single(v => v.Name == name);

    private static AwkwardValue Same(string name, StemeValue value) => new(name, value.ToClr()!, value);

    // One character from each of the 17 planes that has assigned or private-use code points.
    private static string EveryPlane() => string.Concat(new[]
    {
        0x41, 0xE9, 0x4E2D, 0x1F600, 0x20000, 0x30000, 0xE0041, 0xF0000, 0x100000,
        0x10000, 0x1D11E, 0x2A6D6, 0x31350, 0xE01EF, 0xFFFFD, 0x10FFFD,
    }.Select(char.ConvertFromUtf32)) + string.Concat(Enumerable.Range(4, 10).Select(plane => char.ConvertFromUtf32(plane * 0x10000 + 0x41)));
}
