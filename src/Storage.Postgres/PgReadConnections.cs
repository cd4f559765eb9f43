using System.Data;
using Npgsql;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// One open connection per thread, kept for that thread's next read, in front of Npgsql's pool: a lookup then skips
/// the pool's get and return (a lock and a channel write per read, about a quarter of a lookup's client time). A read
/// takes the thread's connection out of its slot and puts it back when done, so a read nested in another's rows gets
/// a pooled one. At most <c>limit</c> connections are kept, so the pool keeps room for writers; a broken one is
/// dropped when it is put back; one left unused for <see cref="IdleLimit"/> (its thread gone, or reading no more) is
/// closed by a later read's return, so Npgsql's pool can prune it; all are closed with the store.
/// </summary>
internal sealed class PgReadConnections(Func<string, NpgsqlConnection> open, int limit, TimeProvider time) : IDisposable
{
    /// <summary>How long a kept connection may go unused before a later read closes it (returns it to Npgsql's pool).</summary>
    public static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(30);

    // A thread's slot: its owner and the sweep each take the connection with one exchange, so only one of them gets it.
    private sealed class Slot
    {
        public NpgsqlConnection? Connection;
        public long ReturnedAt;
    }

    private readonly ThreadLocal<Slot> _slots = new(() => new Slot(), trackAllValues: true);
    private int _kept;
    private long _nextSweep;
    private volatile bool _disposed;

    /// <summary>How many connections are kept for threads' next reads.</summary>
    public int Kept => Volatile.Read(ref _kept);

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
        if (!_disposed && Interlocked.Exchange(ref _slots.Value!.Connection, null) is { } idle)
        {
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
        long now = time.GetUtcNow().UtcTicks;
        var slot = _slots.Value!;
        if (!_disposed && connection.FullState == ConnectionState.Open && Volatile.Read(ref slot.Connection) is null)
        {
            if (Interlocked.Increment(ref _kept) <= limit)
            {
                slot.ReturnedAt = now;
                Volatile.Write(ref slot.Connection, connection);
                SweepIfDue(now);
                // The store closed meanwhile: its Dispose may have passed this slot.
                if (_disposed && Interlocked.Exchange(ref slot.Connection, null) is { } late) Close(late);
                return;
            }
            Interlocked.Decrement(ref _kept);
        }
        connection.Dispose();
    }

    // At most once per half IdleLimit: closes the connections kept longer than IdleLimit (threads gone or idle).
    private void SweepIfDue(long now)
    {
        long due = Volatile.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + IdleLimit.Ticks / 2, due) != due) return;
        foreach (var slot in _slots.Values)
        {
            if (now - Volatile.Read(ref slot.ReturnedAt) > IdleLimit.Ticks && Interlocked.Exchange(ref slot.Connection, null) is { } idle) Close(idle);
        }
    }

    private void Close(NpgsqlConnection connection)
    {
        Interlocked.Decrement(ref _kept);
        connection.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        foreach (var slot in _slots.Values)
        {
            if (Interlocked.Exchange(ref slot.Connection, null) is { } connection) Close(connection);
        }
    }
}
