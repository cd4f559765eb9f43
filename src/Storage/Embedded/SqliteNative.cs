using System.Runtime.InteropServices;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The calls the write path makes per value and per row, straight into the bundled <c>e_sqlite3</c> on a raw statement
/// pointer. Through SQLitePCLRaw each call takes and releases a reference on the statement's SafeHandle and goes through
/// the provider's interface: the ingestor makes millions of them (a bind per column of every row), and that wrapping
/// cost about as much CPU as SQLite's own bind. The caller owns the statement, keeps its handle alive and uses it from
/// one thread at a time, so the pointer stays valid without the reference. The binds copy their value (SQLITE_TRANSIENT)
/// and return at once, as the reads of a number column do, and call nothing back (nothing here installs SQLite's log
/// callback): they run without a GC transition.
/// </summary>
internal static class SqliteNative
{
    private const string Library = "e_sqlite3";

    // SQLITE_TRANSIENT: SQLite copies the value before the bind returns, so the caller's buffer may move afterwards.
    private static readonly IntPtr Transient = new(-1);

    // A non-null address for an empty text or blob: a null pointer would bind NULL.
    private static readonly byte[] Empty = [0, 0];

    /// <summary>Binds a 64-bit integer; returns SQLite's result code.</summary>
    public static int BindInt64(IntPtr statement, int index, long value) => sqlite3_bind_int64(statement, index, value);

    /// <summary>Binds a double; returns SQLite's result code.</summary>
    public static int BindDouble(IntPtr statement, int index, double value) => sqlite3_bind_double(statement, index, value);

    /// <summary>Binds NULL; returns SQLite's result code.</summary>
    public static int BindNull(IntPtr statement, int index) => sqlite3_bind_null(statement, index);

    /// <summary>Binds UTF-16 text with its length (U+0000 inside it is kept); returns SQLite's result code.</summary>
    public static int BindText16(IntPtr statement, int index, ReadOnlySpan<char> text) => text.IsEmpty
        ? sqlite3_bind_text16(statement, index, ref Empty[0], 0, Transient)
        : sqlite3_bind_text16(statement, index, ref Bytes(text), text.Length * sizeof(char), Transient);

    /// <summary>Binds UTF-8 text with its length; returns SQLite's result code.</summary>
    public static int BindText(IntPtr statement, int index, ReadOnlySpan<byte> utf8) =>
        sqlite3_bind_text(statement, index, ref utf8.IsEmpty ? ref Empty[0] : ref MemoryMarshal.GetReference(utf8), utf8.Length, Transient);

    /// <summary>Binds a blob (an empty one stays an empty blob, not NULL); returns SQLite's result code.</summary>
    public static int BindBlob(IntPtr statement, int index, ReadOnlySpan<byte> bytes) =>
        sqlite3_bind_blob(statement, index, ref bytes.IsEmpty ? ref Empty[0] : ref MemoryMarshal.GetReference(bytes), bytes.Length, Transient);

    /// <summary>Runs the statement one step; returns SQLite's result code.</summary>
    public static int Step(IntPtr statement) => sqlite3_step(statement);

    /// <summary>Resets the statement for its next run (its bindings stay).</summary>
    public static int Reset(IntPtr statement) => sqlite3_reset(statement);

    /// <summary>The type of the current row's column (SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL).</summary>
    public static int ColumnType(IntPtr statement, int column) => sqlite3_column_type(statement, column);

    /// <summary>The current row's column as a 64-bit integer.</summary>
    public static long ColumnInt64(IntPtr statement, int column) => sqlite3_column_int64(statement, column);

    /// <summary>The current row's column as a double.</summary>
    public static double ColumnDouble(IntPtr statement, int column) => sqlite3_column_double(statement, column);

    // The UTF-16 code units as the bytes SQLite reads (native byte order).
    private static ref byte Bytes(ReadOnlySpan<char> text) => ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(text));

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    private static extern int sqlite3_bind_int64(IntPtr statement, int index, long value);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    private static extern int sqlite3_bind_double(IntPtr statement, int index, double value);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    private static extern int sqlite3_bind_null(IntPtr statement, int index);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    private static extern int sqlite3_bind_text16(IntPtr statement, int index, ref byte text, int bytes, IntPtr destructor);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    private static extern int sqlite3_bind_text(IntPtr statement, int index, ref byte text, int bytes, IntPtr destructor);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    private static extern int sqlite3_bind_blob(IntPtr statement, int index, ref byte bytes, int length, IntPtr destructor);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    private static extern int sqlite3_column_type(IntPtr statement, int column);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    private static extern long sqlite3_column_int64(IntPtr statement, int column);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    private static extern double sqlite3_column_double(IntPtr statement, int column);

    // Not without the GC transition: a step does the statement's whole work, I/O included.
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int sqlite3_step(IntPtr statement);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int sqlite3_reset(IntPtr statement);
}
