using System.Buffers;
using System.Buffers.Binary;
using Npgsql;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// One binary <c>COPY … FROM STDIN</c>, its rows encoded here in PostgreSQL's binary copy format (a signature and header,
/// per row a field count and each field as a length and big-endian bytes, a trailer) into a buffer that is sent in large
/// chunks through Npgsql's raw copy stream. Why not <see cref="NpgsqlBinaryImporter"/>: it binds a parameter and runs an
/// async state machine per field, about 0.3 µs each, and a bulk-loaded assertion writes some 70 fields (the ledger row
/// and its view rows), which made the encoding most of the client's CPU per assertion. Disposing without
/// <see cref="Complete"/> cancels the COPY, so nothing of it is written.
/// </summary>
internal sealed class PgCopy : IDisposable
{
    // The signature "PGCOPY\n\xff\r\n\0", then no flags and no header extension (two int32 zeros).
    private static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private const int ChunkBytes = 1 << 16;

    private readonly NpgsqlRawCopyStream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
    private int _used;
    private bool _completed;

    private PgCopy(NpgsqlRawCopyStream stream)
    {
        _stream = stream;
        Header.CopyTo(_buffer);
        _used = Header.Length;
    }

    /// <summary>Starts a binary COPY into <paramref name="table"/>'s <paramref name="columns"/> (comma-separated, in the order rows give them).</summary>
    public static PgCopy Begin(NpgsqlConnection connection, string table, string columns) =>
        new(connection.BeginRawBinaryCopy($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"));

    /// <summary>Starts a row of <paramref name="fields"/> fields.</summary>
    public void Row(short fields) => BinaryPrimitives.WriteInt16BigEndian(Take(2), fields);

    /// <summary>A <c>bigint</c> field.</summary>
    public void Bigint(long value)
    {
        var span = Take(12);
        BinaryPrimitives.WriteInt32BigEndian(span, 8);
        BinaryPrimitives.WriteInt64BigEndian(span[4..], value);
    }

    /// <summary>A <c>smallint</c> field.</summary>
    public void Smallint(short value)
    {
        var span = Take(6);
        BinaryPrimitives.WriteInt32BigEndian(span, 2);
        BinaryPrimitives.WriteInt16BigEndian(span[4..], value);
    }

    /// <summary>A <c>double precision</c> field.</summary>
    public void Double(double value)
    {
        var span = Take(12);
        BinaryPrimitives.WriteInt32BigEndian(span, 8);
        BinaryPrimitives.WriteDoubleBigEndian(span[4..], value);
    }

    /// <summary>A <c>bytea</c> field, or NULL.</summary>
    public void Bytea(byte[]? value)
    {
        if (value is null) BinaryPrimitives.WriteInt32BigEndian(Take(4), -1);
        else Bytea(value.AsSpan());
    }

    /// <summary>A <c>bytea</c> field.</summary>
    public void Bytea(ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteInt32BigEndian(Take(4), value.Length);
        Append(value);
    }

    /// <summary>A <c>bytea</c> field holding <see cref="PgText.Key"/> of <paramref name="text"/>, encoded in place when it is short.</summary>
    public void Key(string text)
    {
        int length = PgText.ByteCount(text);
        if (length > PgText.MaxKeyBytes)
        {
            Bytea(PgText.Key(text));
            return;
        }
        BinaryPrimitives.WriteInt32BigEndian(Take(4), length);
        PgText.Encode(text, Take(length));
    }

    /// <summary>A <c>text</c> field (UTF-8: the store's connections use that client encoding).</summary>
    public void Text(string value)
    {
        int length = PgText.ByteCount(value);
        BinaryPrimitives.WriteInt32BigEndian(Take(4), length);
        if (length <= ChunkBytes) PgText.Encode(value, Take(length));
        else Append(PgText.ToColumn(value));
    }

    /// <summary>Sends every row given so far, so the server ingests them while the caller does other work.</summary>
    public void Flush()
    {
        Send();
        _stream.Flush();
    }

    /// <summary>Ends the COPY: the trailer is sent and the server's reply awaited (an error in any row surfaces here). Once only; later calls do nothing.</summary>
    public void Complete()
    {
        if (_completed) return;
        BinaryPrimitives.WriteInt16BigEndian(Take(2), -1);
        Send();
        _completed = true;
        _stream.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            // Reached only while an error propagates (a row failed to encode, the server refused one, the connection broke):
            // the COPY is abandoned and the write's transaction rolls back. That error is the one to report, not a second
            // one from cancelling on a connection that may be gone.
            try
            {
                _stream.Cancel();
                _stream.Dispose();
            }
            catch (Exception error) when (PgErrors.IsDatabaseError(error) || error is InvalidOperationException or ObjectDisposedException)
            {
            }
        }
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    // The next count bytes of the buffer, sending what it holds first when they do not fit (count ≤ ChunkBytes).
    private Span<byte> Take(int count)
    {
        if (_used + count > _buffer.Length) Send();
        var span = _buffer.AsSpan(_used, count);
        _used += count;
        return span;
    }

    private void Append(ReadOnlySpan<byte> value)
    {
        if (value.Length <= _buffer.Length - _used)
        {
            value.CopyTo(_buffer.AsSpan(_used));
            _used += value.Length;
            return;
        }
        // A large value (an object of many kilobytes) goes straight to the stream, after what precedes it.
        Send();
        _stream.Write(value);
    }

    private void Send()
    {
        if (_used == 0) return;
        _stream.Write(_buffer, 0, _used);
        _used = 0;
    }
}
