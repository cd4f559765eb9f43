using System.Data;
using StemeQL.Core.Model;
using StemeQL.Internal;
using StemeQL.Planner.Binding;

namespace StemeQL;

public sealed partial class StemeDataReader
{
    /// <inheritdoc />
    public override string GetName(int ordinal) => Column(ordinal).Name;

    /// <inheritdoc />
    public override int GetOrdinal(string name)
    {
        var columns = Columns;
        for (int i = 0; i < columns.Count; i++)
            if (string.Equals(columns[i].Name, name, StringComparison.Ordinal)) return i;
        for (int i = 0; i < columns.Count; i++)
            if (string.Equals(columns[i].Name, name, StringComparison.OrdinalIgnoreCase)) return i;
        throw new IndexOutOfRangeException($"The result has no column named '{name}'.");
    }

    /// <inheritdoc />
    public override object GetValue(int ordinal)
    {
        var value = Value(ordinal);
        return value.IsExternal ? LoadObject(value) : value.ToClr() ?? DBNull.Value;
    }

    /// <inheritdoc />
    public override int GetValues(object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int count = Math.Min(values.Length, FieldCount);
        for (int i = 0; i < count; i++) values[i] = GetValue(i);
        return count;
    }

    /// <inheritdoc />
    public override bool IsDBNull(int ordinal)
    {
        CurrentRow(ordinal);
        return _inPlace?.IsNull(ordinal) ?? Value(ordinal).IsNull;
    }

    /// <inheritdoc />
    public override T GetFieldValue<T>(int ordinal)
    {
        var value = Value(ordinal);
        return value.IsExternal ? ExternalFieldValue<T>(value, ordinal) : FieldConverter.Convert<T>(value, GetName(ordinal));
    }

    /// <inheritdoc />
    public override bool GetBoolean(int ordinal) => GetFieldValue<bool>(ordinal);

    /// <inheritdoc />
    public override byte GetByte(int ordinal) => GetFieldValue<byte>(ordinal);

    /// <inheritdoc />
    public override char GetChar(int ordinal) => GetFieldValue<char>(ordinal);

    /// <inheritdoc />
    public override DateTime GetDateTime(int ordinal) => GetFieldValue<DateTime>(ordinal);

    /// <inheritdoc />
    public override decimal GetDecimal(int ordinal) => GetFieldValue<decimal>(ordinal);

    /// <inheritdoc />
    public override double GetDouble(int ordinal) => GetFieldValue<double>(ordinal);

    /// <inheritdoc />
    public override float GetFloat(int ordinal) => GetFieldValue<float>(ordinal);

    /// <inheritdoc />
    public override Guid GetGuid(int ordinal) => GetFieldValue<Guid>(ordinal);

    /// <inheritdoc />
    public override short GetInt16(int ordinal) => GetFieldValue<short>(ordinal);

    /// <inheritdoc />
    public override int GetInt32(int ordinal) => GetFieldValue<int>(ordinal);

    /// <inheritdoc />
    public override long GetInt64(int ordinal) => GetFieldValue<long>(ordinal);

    /// <inheritdoc />
    public override string GetString(int ordinal) => GetFieldValue<string>(ordinal);

    /// <inheritdoc />
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) =>
        Value(ordinal) is { IsExternal: true } value
            ? ReadObjectRange(value.AsObjectReference, dataOffset, buffer, bufferOffset, length)
            : CopyRange(GetFieldValue<byte[]>(ordinal), dataOffset, buffer, bufferOffset, length);

    /// <inheritdoc />
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) =>
        CopyRange(GetFieldValue<string>(ordinal).ToCharArray(), dataOffset, buffer, bufferOffset, length);

    /// <inheritdoc />
    public override DataTable GetSchemaTable() => SchemaTable.Build(GetColumnSchema());

    /// <summary>A text value as a reader; NULL throws <see cref="InvalidCastException"/>.</summary>
    public override TextReader GetTextReader(int ordinal) => GetFieldValue<TextReader>(ordinal);

    private static long CopyRange<T>(T[] source, long dataOffset, T[]? buffer, int bufferOffset, int length)
    {
        if (buffer is null) return source.Length;
        ArgumentOutOfRangeException.ThrowIfNegative(dataOffset);
        if (bufferOffset < 0 || bufferOffset > buffer.Length)
            throw new ArgumentOutOfRangeException(nameof(bufferOffset), bufferOffset, "The buffer offset is outside the buffer.");
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (dataOffset >= source.Length) return 0;
        // A length beyond the value is fine (it copies what there is); what is copied must fit the buffer.
        int count = (int)Math.Min(length, source.Length - dataOffset);
        if (bufferOffset + count > buffer.Length)
            throw new ArgumentException("The buffer offset plus the length runs past the end of the buffer.", nameof(length));
        Array.Copy(source, dataOffset, buffer, bufferOffset, count);
        return count;
    }

    private ResultColumn Column(int ordinal)
    {
        var columns = Columns;
        if (_result is null)
            throw new InvalidOperationException("The reader has no current result set: NextResult() has returned false (or the command's behavior asked for one result set).");
        return (uint)ordinal < (uint)columns.Count
            ? columns[ordinal]
            : throw new IndexOutOfRangeException($"There is no column {ordinal}: the result has {columns.Count}.");
    }

    /// <summary>
    /// The length of the current row's value at <paramref name="ordinal"/> when it is bytes (inline or in
    /// the object store), without reading them; null for any other value. The shell uses it to preview
    /// a large object instead of loading it whole.
    /// </summary>
    internal long? BytesLength(int ordinal) => Value(ordinal) is { Kind: ValueKind.Bytes } value ? value.BytesLength : null;

    // A value read in place is decoded from the store's row on every call, as Microsoft.Data.Sqlite does.
    private StemeValue Value(int ordinal)
    {
        var row = CurrentRow(ordinal);
        return _inPlace is { } cursor ? cursor.Value(ordinal) : row[ordinal];
    }

    private StemeValue[] CurrentRow(int ordinal)
    {
        Column(ordinal);
        return _row ?? throw new InvalidOperationException("There is no current row: call Read() and check that it returned true.");
    }
}
