using System.Collections;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Execution;

namespace StemeQL.Internal;

/// <summary>
/// A run of consecutive write statements, read in place as <see cref="Session.ExecuteWrites"/> takes
/// them: a copy for a batch of 10,000 commands would put 160 KB in the large object heap per batch.
/// A statement runner keeps one and points it at each run (<see cref="Reset"/>).
/// </summary>
internal sealed class WriteRun : IReadOnlyList<(PreparedWrite Statement, ParameterValues Parameters)>
{
    private IReadOnlyList<BoundStatement> _statements = [];
    private int _start;
    private int _end;

    /// <summary>Points this run at <paramref name="statements"/>[<paramref name="start"/>..<paramref name="end"/>).</summary>
    public void Reset(IReadOnlyList<BoundStatement> statements, int start, int end) => (_statements, _start, _end) = (statements, start, end);

    public int Count => _end - _start;

    public (PreparedWrite Statement, ParameterValues Parameters) this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            var statement = _statements[_start + index];
            return ((PreparedWrite)statement.Statement, statement.Parameters);
        }
    }

    public IEnumerator<(PreparedWrite Statement, ParameterValues Parameters)> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
