using StemeQL.Core.Model;

namespace StemeQL.Storage.Abstractions;

/// <summary>
/// <see cref="IKnownAssertions"/> for a write checked above the store (a transaction, the bulk
/// loader): the store's assertions plus the hashes this write has asserted so far.
/// </summary>
public sealed class AssertedInWrite(IEpistemeStore store) : IKnownAssertions
{
    private readonly HashSet<ContentHash> _asserted = [];
    // Hashes the store answered for: a stored assertion never goes away, so a write that votes on the
    // same targets again (a transaction of 20,000 votes on 1,000 assertions) asks the store once each.
    private readonly HashSet<ContentHash> _stored = [];

    /// <inheritdoc />
    public bool IsKnown(ContentHash hash)
    {
        if (_asserted.Contains(hash) || _stored.Contains(hash)) return true;
        if (!store.Contains(hash)) return false;
        _stored.Add(hash);
        return true;
    }

    /// <summary>True when this write asserted <paramref name="hash"/> earlier (the store is not asked).</summary>
    public bool AssertedEarlier(ContentHash hash) => _asserted.Contains(hash);

    /// <summary>Records that the write asserts <paramref name="hash"/>; false when it already did.</summary>
    public bool Add(ContentHash hash) => _asserted.Add(hash);

    /// <summary>Forgets <paramref name="hash"/> again (a statement that failed after asserting it).</summary>
    public void Remove(ContentHash hash) => _asserted.Remove(hash);
}
