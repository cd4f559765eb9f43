using StemeQL.Core.Model;

namespace StemeQL.Storage.Abstractions;

/// <summary>
/// The assertions a write may name while it is checked: the stored ones and those asserted earlier in
/// the same write. Each write path answers it its own way (a store with its index and LSNs, a
/// transaction or the bulk loader with <see cref="AssertedInWrite"/>); <see cref="WriteRules"/> asks it.
/// </summary>
public interface IKnownAssertions
{
    /// <summary>True when <paramref name="hash"/> names a stored assertion or one asserted earlier in this write.</summary>
    bool IsKnown(ContentHash hash);
}
