using Microsoft.Data.Sqlite;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

public sealed partial class EmbeddedStore
{
    /// <summary>
    /// The rows of one read, streamed from a connection taken from the pool when the first row is asked
    /// for and held only while the caller enumerates (a read abandoned part way gives it back on
    /// Dispose). A SQLite failure is translated and closes the connection rather than returning it.
    /// Written out rather than as an iterator method, whose object keeps a second copy of every argument:
    /// a keyed lookup makes one of these per execution.
    /// </summary>
    private sealed class StreamedRows<T>(EmbeddedStore store, ReadShape shape, KeyFilter keys, long maxLsn, ObjectKey[]? objects,
        Func<StatementColumns, AssertionFields, T> map, string doing, string? lens) : IEnumerable<T>, IEnumerator<T>
    {
        private ReaderConnection? _connection;
        private ReadStatement? _statement;
        private T? _current;
        private bool _started;
        private bool _done;

        public T Current => _current!;

        /// <summary>The statement's current row, valid until the next <see cref="MoveNext"/> (a cursor reads it in place).</summary>
        public StatementColumns Row => _statement is { } statement && !_done
            ? statement.Row
            : throw new InvalidOperationException("The read is not on a row: call MoveNext first.");

        object? System.Collections.IEnumerator.Current => Current;

        public IEnumerator<T> GetEnumerator()
        {
            // Enumerated once, as the executor does; a second enumeration reads again.
            if (_started) return new StreamedRows<T>(store, shape, keys, maxLsn, objects, map, doing, lens);
            _started = true;
            return this;
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public bool MoveNext()
        {
            if (_done) return false;
            try
            {
                if (_statement is null)
                {
                    store.ThrowIfDisposed();
                    _connection = store.TakeReader(doing);
                    _statement = _connection.Bind(shape, keys, maxLsn, objects, lens);
                }
                if (_statement.Step())
                {
                    _current = map(_statement.Row, keys.Fields);
                    return true;
                }
            }
            catch (SqliteException error)
            {
                Finish(failed: true);
                throw store.Translate(error, doing);
            }
            catch
            {
                Finish(failed: false);
                throw;
            }
            Finish(failed: false);
            return false;
        }

        public void Reset() => throw new NotSupportedException();

        public void Dispose() => Finish(failed: false);

        // Ends the read once: the statement is reset, the key tables emptied and the connection given
        // back (or closed, when the read failed: whatever went wrong stays with it).
        private void Finish(bool failed)
        {
            if (_done) return;
            _done = true;
            _current = default;
            if (_connection is not { } connection) return;
            _statement?.Reset();
            if (!failed)
            {
                try
                {
                    connection.ClearTables(shape);
                }
                catch (SqliteException)
                {
                    failed = true;
                }
            }
            store.Release(connection, healthy: !failed);
        }
    }
}
