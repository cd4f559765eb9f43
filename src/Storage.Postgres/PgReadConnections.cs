using System.Data;
using Npgsql;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// One open connection per thread, kept for that thread's next read, in front of Npgsql's pool: a lookup then skips
/// the pool's get and return (a lock and a channel write per read, about a quarter of a lookup's client time). A read
/// takes the thread's connection out of its slot and puts it back when done, so a read nested in another's rows gets
/// a pooled one. At most <c>limit</c> connections are kept, so the pool keeps room for writers; a broken one is
/// dropped when it is put back; all are closed with the store.
/// </summary>
internal sealed class PgReadConnections(Func<string, NpgsqlConnection> open, int limit) : IDisposable
{
    private readonly ThreadLocal<NpgsqlConnection?> _idle = new(trackAllValues: true);
    private int _kept;
    private volatile bool _disposed;

    /// <summary>
    /// Runs <paramref name="start"/> (a read's first step) on the thread's kept connection, or else a pooled one, and
    /// returns the connection with what it returned; give the connection back with <see cref="Return"/> when the read
    /// is done. A kept connection the server closed meanwhile (a restart, a failover, a terminated session) shows only
    /// when used: the step then runs once more on a fresh pooled connection, as it would have without the slot.
    /// </summary>
    public (NpgsqlConnection Connection, T Result) Start<T>(string doing, Func<NpgsqlConnection, T> start) =>
        Start(doing, start, static (connection, start) => start(connection));

    /// <summary>
    /// <see cref="Start{T}(string, Func{NpgsqlConnection, T})"/> with the step's state passed in, so that a static
    /// <paramref name="start"/> allocates no closure on a hot read path.
    /// </summary>
    public (NpgsqlConnection Connection, T Result) Start<TState, T>(string doing, TState state, Func<NpgsqlConnection, TState, T> start)
    {
        var connection = Rent(doing, out bool kept);
        try
        {
            return (connection, start(connection, state));
        }
        catch (Exception) when (kept && connection.FullState != ConnectionState.Open)
        {
            connection.Dispose();
        }
        catch
        {
            Return(connection);
            throw;
        }
        connection = open(doing);
        try
        {
            return (connection, start(connection, state));
        }
        catch
        {
            Return(connection);
            throw;
        }
    }

    private NpgsqlConnection Rent(string doing, out bool kept)
    {
        kept = false;
        if (!_disposed && _idle.Value is { } idle)
        {
            _idle.Value = null;
            Interlocked.Decrement(ref _kept);
            if (idle.FullState == ConnectionState.Open)
            {
                kept = true;
                return idle;
            }
            idle.Dispose();
        }
        return open(doing);
    }

    /// <summary>Keeps <paramref name="connection"/> for the thread's next read, or closes it (back to the pool).</summary>
    public void Return(NpgsqlConnection connection)
    {
        if (!_disposed && connection.FullState == ConnectionState.Open && _idle.Value is null)
        {
            if (Interlocked.Increment(ref _kept) <= limit)
            {
                _idle.Value = connection;
                if (!_disposed) return;
                _idle.Value = null; // the store closed meanwhile: its Dispose may have passed this slot
            }
            Interlocked.Decrement(ref _kept);
        }
        connection.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        foreach (var connection in _idle.Values) connection?.Dispose();
    }
}
