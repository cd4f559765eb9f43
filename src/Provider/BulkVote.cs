namespace StemeQL;

/// <summary>One vote for <see cref="StemeBulkLoader.WriteVotes"/>, cast as the connection's agent unless <paramref name="Agent"/> names another.</summary>
/// <param name="Assertion">
/// The hash of the assertion voted on (64 hexadecimal characters, as ASSERT returns); it must be
/// stored already or be asserted earlier in the same batch.
/// </param>
/// <param name="Weight">The agent's confidence, from 0 to 1, that the assertion is true.</param>
/// <param name="Agent">
/// The agent who votes; null for the connection's. Another agent needs <c>Allow Agent Override=True</c> in
/// the connection string, or the row fails with <see cref="StemeErrorCode.AgentOverrideNotAllowed"/>.
/// </param>
public readonly record struct BulkVote(string Assertion, double Weight = 1.0, string? Agent = null);
