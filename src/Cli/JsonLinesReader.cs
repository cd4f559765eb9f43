namespace StemeQL.Cli;

/// <summary>
/// Reads a stream a line at a time as UTF-8 bytes, for Utf8JsonReader, without decoding to strings
/// or holding more than a buffer of the file. Handles \n and \r\n and a leading byte-order mark.
/// </summary>
internal sealed class JsonLinesReader(Stream stream)
{
    private byte[] _buffer = new byte[1 << 20];
    private int _start;   // first byte of the next line
    private int _scanned; // bytes before this are known to hold no newline
    private int _end;     // bytes before this are read
    private bool _eof;

    /// <summary>The 1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Bytes of the stream consumed by the lines returned so far.</summary>
    public long BytesConsumed { get; private set; }

    /// <summary>The next line without its line break; false at the end of the stream.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                int end = _scanned + newline;
                line = Take(end, end + 1);
                return true;
            }
            _scanned = _end;
            if (_eof)
            {
                if (_start == _end)
                {
                    line = default;
                    return false;
                }
                line = Take(_end, _end); // the last line has no line break
                return true;
            }
            Fill();
        }
    }

    private ReadOnlySpan<byte> Take(int lineEnd, int next)
    {
        var line = _buffer.AsSpan(_start, lineEnd - _start);
        if (line.EndsWith((byte)'\r')) line = line[..^1];
        if (LineNumber == 0 && line.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) line = line[3..];
        BytesConsumed += next - _start;
        _start = _scanned = next;
        LineNumber++;
        return line;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            // Keep the partial line; drop the lines already returned.
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            (_scanned, _end, _start) = (_scanned - _start, _end - _start, 0);
        }
        else if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2); // a line longer than the buffer
        }
        int read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
    }
}
