using StemeQL.Core.Model;

namespace StemeQL.Storage.Abstractions;

/// <summary>
/// Ledger rows read in place (<see cref="IEpistemeStore.OpenAssertions"/>): the cursor stays on the store's
/// current row and decodes a part only when it is asked for, so a query that returns one column of ten
/// rows decodes ten values rather than building ten assertions. A part is valid until the next
/// <see cref="MoveNext"/>; only the parts named in the read's <see cref="KeyFilter.Fields"/> may be asked for.
/// </summary>
public interface IAssertionCursor : IDisposable
{
    /// <summary>Moves to the next row; false after the last (the read is then finished).</summary>
    bool MoveNext();

    /// <summary>The row's LSN.</summary>
    long Lsn { get; }

    /// <summary>The content hash (<see cref="AssertionFields.Hash"/>).</summary>
    ContentHash Hash { get; }

    /// <summary>The subject (<see cref="AssertionFields.Subject"/>).</summary>
    string Subject { get; }

    /// <summary>The predicate (<see cref="AssertionFields.Predicate"/>).</summary>
    string Predicate { get; }

    /// <summary>The object (<see cref="AssertionFields.Object"/>).</summary>
    StemeValue Object { get; }

    /// <summary>The object's type, without decoding the object (<see cref="AssertionFields.Object"/>).</summary>
    ObjectType ObjectType { get; }

    /// <summary>The epoch (<see cref="AssertionFields.Epoch"/>).</summary>
    string Epoch { get; }

    /// <summary>The asserting agent (<see cref="AssertionFields.Agent"/>).</summary>
    string Agent { get; }

    /// <summary>When it was first seen, UTC (<see cref="AssertionFields.AssertedAt"/>).</summary>
    DateTime AssertedAt { get; }
}

/// <summary>
/// A cursor over records a store has already built (<see cref="IEpistemeStore.ScanAssertions"/>): what a store
/// that cannot read in place gives, correct but no cheaper than the records.
/// </summary>
public sealed class StoredAssertionCursor(IEnumerable<StoredAssertion> rows) : IAssertionCursor
{
    private IEnumerator<StoredAssertion>? _rows;

    private StoredAssertion Current => _rows?.Current ?? throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");

    /// <inheritdoc />
    public bool MoveNext() => (_rows ??= rows.GetEnumerator()).MoveNext();

    /// <inheritdoc />
    public long Lsn => Current.Lsn;

    /// <inheritdoc />
    public ContentHash Hash => Current.Assertion.Hash;

    /// <inheritdoc />
    public string Subject => Current.Assertion.Subject;

    /// <inheritdoc />
    public string Predicate => Current.Assertion.Predicate;

    /// <inheritdoc />
    public StemeValue Object => Current.Assertion.Object;

    /// <inheritdoc />
    public ObjectType ObjectType => Current.Assertion.Object.ObjectType;

    /// <inheritdoc />
    public string Epoch => Current.Assertion.Epoch;

    /// <inheritdoc />
    public string Agent => Current.Assertion.Agent;

    /// <inheritdoc />
    public DateTime AssertedAt => Current.AssertedAt;

    /// <inheritdoc />
    public void Dispose() => _rows?.Dispose();
}
