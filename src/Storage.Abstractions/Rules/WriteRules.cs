using StemeQL.Core.Model;

namespace StemeQL.Storage.Abstractions;

/// <summary>
/// The rules every write obeys, written once for every backend and every write path (a store's own
/// write, a transaction, the bulk loader): an assertion's lineage and a vote's target name an
/// assertion stored or asserted earlier in the same write, and an object is a value that can be stored.
/// Weights and confidences are checked where they are made (<see cref="Weights"/>).
/// </summary>
public static class WriteRules
{
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
