using System.Collections;
using StemeQL.Core.Model;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Execution.Stages;

namespace StemeQL.Planner.Execution;

/// <summary>
/// Stored records as relation rows, checking for cancellation between rows, with one row buffer for
/// the whole read (kept for the next read on the thread, see <see cref="RowBuffers"/>). Reusing the
/// buffer is safe because no stage keeps an input row once it asks for the next (see
/// <see cref="QueryStage"/>); with <c>project</c> each row is projected here into a new output row.
/// Written out rather than as an iterator method, whose object keeps a second copy of every argument:
/// a keyed lookup makes one of these per execution.
/// </summary>
internal sealed class MappedRows<T>(IEnumerable<T> records, Func<T, bool, StemeValue[], StemeValue[]> fill, int width, bool withHash,
    CancellationToken cancellation, ProjectStage? project, ParameterValues parameters) : IEnumerable<StemeValue[]>, IEnumerator<StemeValue[]>
{
    private IEnumerator<T>? _records;
    private int _index = -1;
    private StemeValue[]? _row;
    private StemeValue[]? _current;
    private bool _started;

    public StemeValue[] Current => _current!;

    object IEnumerator.Current => Current;

    public IEnumerator<StemeValue[]> GetEnumerator()
    {
        // Enumerated once, as the executor does; a second enumeration gets its own rows.
        if (_started) return new MappedRows<T>(records, fill, width, withHash, cancellation, project, parameters);
        _started = true;
        return this;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool MoveNext()
    {
        _row ??= RowBuffers.Take(width);
        if (!Next(out var record))
        {
            _current = null;
            return false;
        }
        cancellation.ThrowIfCancellationRequested();
        fill(record, withHash, _row);
        _current = project is null ? _row : project.Project(_row, parameters);
        return true;
    }

    // An array (a store's read of one row returns one) is walked by index: its enumerator would be one more object per lookup.
    private bool Next(out T record)
    {
        if (records is T[] array)
        {
            bool more = ++_index < array.Length;
            record = more ? array[_index] : default!;
            return more;
        }
        _records ??= records.GetEnumerator();
        bool moved = _records.MoveNext();
        record = moved ? _records.Current : default!;
        return moved;
    }

    public void Reset() => throw new NotSupportedException();

    public void Dispose()
    {
        _records?.Dispose();
        _records = null;
        if (_row is not null) RowBuffers.Return(_row);
        _row = null;
        _current = null;
    }
}
