using StemeQL.Core.Model;

namespace StemeQL.Storage.Abstractions;

/// <summary>
/// The rules every write obeys, written once for every backend and every write path (a store's own
/// write, a transaction, the bulk loader): an assertion's lineage and a vote's target name an
/// assertion stored or asserted earlier in the same write, an object is a value that can be stored, and an
/// agent's name fits every store's indexes. Weights and confidences are checked where they are made (<see cref="Weights"/>).
/// </summary>
public static class WriteRules
{
    /// <summary>
    /// The longest agent name written, in bytes of UTF-8. Stores index agents whole (PostgreSQL's B-tree holds an
    /// entry of at most about 2.7 KB, the agent beside a hash or an LSN), so a longer one would fail on one backend
    /// and not on another; every backend refuses it alike instead.
    /// </summary>
    public const int MaxAgentBytes = 1024;

    /// <summary>Throws <see cref="StemeErrorCode.AgentTooLong"/> when <paramref name="agent"/> is longer than <see cref="MaxAgentBytes"/>.</summary>
    public static void RequireAgent(string agent)
    {
        // Most names are short: counting the bytes of those is not needed (a char is at most 3 bytes of UTF-8).
        if (agent.Length * 3 <= MaxAgentBytes) return;
        int bytes = System.Text.Encoding.UTF8.GetByteCount(agent);
        if (bytes > MaxAgentBytes)
            throw new StemeException(StemeErrorCode.AgentTooLong,
                $"The agent '{agent[..32]}…' is {bytes} bytes of UTF-8, more than the {MaxAgentBytes} an agent may have: name it with a shorter key (and store its long description as an assertion about that key). Nothing was written.");
    }

    /// <summary>The first parent of <paramref name="assertion"/> that is not known, or null when all are.</summary>
    public static UnknownReference? UnknownParent(Assertion assertion, IKnownAssertions known)
    {
        foreach (var parent in assertion.Lineage)
        {
            if (!known.IsKnown(parent)) return new UnknownReference(parent, IsLineage: true);
        }
        return null;
    }

    /// <summary>The target of <paramref name="vote"/> when it is not known, or null when it is.</summary>
    public static UnknownReference? UnknownTarget(Vote vote, IKnownAssertions known) =>
        known.IsKnown(vote.Assertion) ? null : new UnknownReference(vote.Assertion, IsLineage: false);

    /// <summary>The first hash <paramref name="operation"/> names that is not known, or null when all are.</summary>
    public static UnknownReference? UnknownIn(WriteOperation operation, IKnownAssertions known) => operation switch
    {
        AssertOperation { Assertion: var a } => UnknownParent(a, known),
        VoteOperation { Vote: var v } => UnknownTarget(v, known),
        _ => null,
    };

    /// <summary>Throws <see cref="StemeErrorCode.UnknownAssertion"/> when a parent of <paramref name="assertion"/> is not known.</summary>
    public static void RequireParents(Assertion assertion, IKnownAssertions known, WriteWording wording)
    {
        if (UnknownParent(assertion, known) is { } unknown) throw unknown.ToException(wording);
    }

    /// <summary>Throws <see cref="StemeErrorCode.UnknownAssertion"/> when the target of <paramref name="vote"/> is not known.</summary>
    public static void RequireTarget(Vote vote, IKnownAssertions known, WriteWording wording)
    {
        if (UnknownTarget(vote, known) is { } unknown) throw unknown.ToException(wording);
    }

    /// <summary>
    /// Returns <paramref name="value"/> when it can be an assertion's object (text, integer, real,
    /// boolean or bytes); throws <see cref="StemeErrorCode.TypeMismatch"/> for NULL and timestamps.
    /// </summary>
    public static StemeValue RequireObject(StemeValue value, WriteWording wording) =>
        value.Kind is ValueKind.Null or ValueKind.Timestamp
            ? throw new StemeException(StemeErrorCode.TypeMismatch,
                $"The object cannot be {wording.Describe(value)}: use {wording.ObjectKinds}.")
            : value;
}
