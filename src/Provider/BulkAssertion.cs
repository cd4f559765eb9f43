namespace StemeQL;

/// <summary>One assertion for <see cref="StemeBulkLoader.WriteAssertions"/>, written as the connection's agent unless <paramref name="Agent"/> names another.</summary>
/// <param name="Subject">What the claim is about.</param>
/// <param name="Predicate">The relation claimed.</param>
/// <param name="Object">
/// The value claimed: a string, an integer type, a floating-point type, a bool or a byte[]
/// (the types a parameter takes, except NULL and timestamps).
/// </param>
/// <param name="Epoch">The epoch; null is the default epoch ('').</param>
/// <param name="Confidence">The agent's own weight, from 0 to 1.</param>
/// <param name="DerivedFrom">
/// Hashes of the assertions this one derives from; each must be stored already or come earlier in
/// the same batch.
/// </param>
/// <param name="Agent">
/// The agent who asserts it; null for the connection's. Another agent needs <c>Allow Agent Override=True</c>
/// in the connection string, or the row fails with <see cref="StemeErrorCode.AgentOverrideNotAllowed"/>.
/// </param>
public readonly record struct BulkAssertion(
    string Subject,
    string Predicate,
    object Object,
    string? Epoch = null,
    double Confidence = 1.0,
    IReadOnlyList<string>? DerivedFrom = null,
    string? Agent = null);
