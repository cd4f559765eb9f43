using System.Collections;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Execution;

namespace StemeQL.Internal;

/// <summary>
/// A run of consecutive write statements, read in place as <see cref="Session.ExecuteWrites"/> takes
/// them: a copy for a batch of 10,000 commands would put 160 KB in the large object heap per batch.
/// </summary>
internal sealed class WriteRun(IReadOnlyList<BoundStatement> statements, int start, int end)
    : IReadOnlyList<(PreparedWrite Statement, ParameterValues Parameters)>
{
    public int Count => end - start;

    public (PreparedWrite Statement, ParameterValues Parameters) this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            var statement = statements[start + index];
            return ((PreparedWrite)statement.Statement, statement.Parameters);
        }
    }

    public IEnumerator<(PreparedWrite Statement, ParameterValues Parameters)> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
