using System.Data.Common;
using System.Globalization;

namespace StemeQL.Cli;

/// <summary>
/// The start of a bytes value too long to show whole, and its full length. The table and line
/// formats show it as <c>x'0a0b…'… (N bytes)</c>: a person reading a terminal wants to know what the
/// value is, and a 1 GB object would otherwise be read into memory and printed as 2 GB of hex.
/// CSV and JSON, which are for other programs, still get every byte.
/// </summary>
internal sealed record BytesPreview(byte[] Head, long Length)
{
    /// <summary>Values up to this many bytes are shown whole.</summary>
    public const int WholeUpTo = 64;

    /// <summary>How many leading bytes a preview shows.</summary>
    public const int HeadLength = 32;

    /// <summary>The cell at <paramref name="ordinal"/> as the shell shows it to a person: a preview for long bytes, else the value.</summary>
    public static object? Cell(DbDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal)) return null;
        if (reader is StemeDataReader steme && steme.BytesLength(ordinal) is > WholeUpTo and long length)
        {
            var head = new byte[HeadLength];
            int read = (int)reader.GetBytes(ordinal, 0, head, 0, head.Length);
            return new BytesPreview(head[..read], length);
        }
        return reader.GetValue(ordinal);
    }

    /// <inheritdoc />
    public override string ToString() =>
        "x'" + Convert.ToHexStringLower(Head) + "'… (" + Length.ToString("N0", CultureInfo.InvariantCulture) + " bytes)";
}
