using Microsoft.Data.Sqlite;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The store's own pool of read-only connections, each keeping the statements it has prepared
/// (Microsoft.Data.Sqlite's pool keeps the connection but finalizes its statements when it is closed).
/// A read takes a connection for as long as it runs and gives it back; idle connections beyond
/// <see cref="MaxIdle"/> are closed.
/// </summary>
internal sealed class ReaderPool : IDisposable
{
    /// <summary>The most idle connections kept open.</summary>
    public const int MaxIdle = 16;

    private readonly string _connectionString;
    private readonly Stack<ReaderConnection> _idle = new();
    private readonly Lock _lock = new();
    private long _compiled;
    private bool _disposed;

    public ReaderPool(string readerConnectionString)
    {
        // Unpooled underneath: this pool owns the connections, and disposing one really closes it.
        _connectionString = new SqliteConnectionStringBuilder(readerConnectionString) { Pooling = false }.ToString();
    }

    /// <summary>Statements compiled so far on the pool's connections (for tests of statement reuse).</summary>
    public long StatementsCompiled => Interlocked.Read(ref _compiled);

    /// <summary>An idle connection, or a new one.</summary>
    public ReaderConnection Take()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.TryPop(out var idle)) return idle;
        }
        return new ReaderConnection(_connectionString, () => Interlocked.Increment(ref _compiled));
    }

    /// <summary>Gives a connection back (it is closed when the pool is full or disposed).</summary>
    public void Return(ReaderConnection connection)
    {
        lock (_lock)
        {
            if (!_disposed && _idle.Count < MaxIdle)
            {
                _idle.Push(connection);
                return;
            }
        }
        connection.Dispose();
    }

    /// <summary>Closes the idle connections; busy ones close when they come back.</summary>
    public void Dispose()
    {
        ReaderConnection[] idle;
        lock (_lock)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }
        foreach (var connection in idle) connection.Dispose();
    }
}
