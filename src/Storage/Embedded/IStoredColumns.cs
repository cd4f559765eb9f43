using Microsoft.Data.Sqlite;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The columns of the current row of a read, as <see cref="RowMapper"/> and <see cref="ValueCodec"/> read
/// them: over a raw prepared statement on the hot read path (<see cref="StatementColumns"/>), or over a
/// Microsoft.Data.Sqlite reader elsewhere (<see cref="ReaderColumns"/>). Implemented by structs, so the
/// generic mappers are specialized per source and nothing is boxed.
/// </summary>
internal interface IStoredColumns
{
    /// <summary>True when the column is NULL.</summary>
    bool IsNull(int ordinal);

    /// <summary>True when the column holds TEXT (a bytes object kept in the object store is its reference text).</summary>
    bool IsText(int ordinal);

    /// <summary>True when the column holds a BLOB (a NaN real is kept as its bits).</summary>
    bool IsBlob(int ordinal);

    /// <summary>The column as an integer.</summary>
    long GetInt64(int ordinal);

    /// <summary>The column as a real.</summary>
    double GetDouble(int ordinal);

    /// <summary>The column as text.</summary>
    string GetString(int ordinal);

    /// <summary>The column's bytes (empty for NULL).</summary>
    byte[] GetBytes(int ordinal);

    /// <summary>The column's bytes without a copy, valid until the row moves on (empty for NULL).</summary>
    ReadOnlySpan<byte> GetSpan(int ordinal);
}

/// <summary>The current row of a Microsoft.Data.Sqlite reader (integrity checks, object scans).</summary>
internal readonly struct ReaderColumns(SqliteDataReader reader) : IStoredColumns
{
    public bool IsNull(int ordinal) => reader.IsDBNull(ordinal);

    public bool IsText(int ordinal) => !reader.IsDBNull(ordinal) && reader.GetFieldType(ordinal) == typeof(string);

    public bool IsBlob(int ordinal) => !reader.IsDBNull(ordinal) && reader.GetFieldType(ordinal) == typeof(byte[]);

    public long GetInt64(int ordinal) => reader.GetInt64(ordinal);

    public double GetDouble(int ordinal) => reader.GetDouble(ordinal);

    public string GetString(int ordinal) => reader.GetString(ordinal);

    public byte[] GetBytes(int ordinal) => reader.IsDBNull(ordinal) ? [] : reader.GetFieldValue<byte[]>(ordinal);

    public ReadOnlySpan<byte> GetSpan(int ordinal) => GetBytes(ordinal);
}
