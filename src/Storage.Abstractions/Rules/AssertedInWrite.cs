using StemeQL.Core.Model;

namespace StemeQL.Storage.Abstractions;

/// <summary>
/// <see cref="IKnownAssertions"/> for a write checked above the store (a transaction, the bulk
/// loader): the store's assertions plus the hashes this write has asserted so far.
/// </summary>
public sealed class AssertedInWrite(IEpistemeStore store) : IKnownAssertions
{
    private readonly HashSet<ContentHash> _asserted = [];

    /// <inheritdoc />
    public bool IsKnown(ContentHash hash) => _asserted.Contains(hash) || store.Contains(hash);

    /// <summary>True when this write asserted <paramref name="hash"/> earlier (the store is not asked).</summary>
    public bool AssertedEarlier(ContentHash hash) => _asserted.Contains(hash);

    /// <summary>Records that the write asserts <paramref name="hash"/>; false when it already did.</summary>
    public bool Add(ContentHash hash) => _asserted.Add(hash);

    /// <summary>Forgets <paramref name="hash"/> again (a statement that failed after asserting it).</summary>
    public void Remove(ContentHash hash) => _asserted.Remove(hash);
}
