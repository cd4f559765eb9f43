using StemeQL.Core.Encoding;

namespace StemeQL.Core.Model;

/// <summary>
/// An immutable claim (subject, predicate, object) made by an agent in an epoch. Its identity,
/// <see cref="Hash"/>, covers everything but <see cref="Confidence"/>: the same claim by the same
/// agent is the same assertion.
/// </summary>
public sealed record Assertion
{
    /// <summary>Creates an assertion and computes its hash.</summary>
    public Assertion(string subject, string predicate, StemeValue @object, string epoch, string agent,
        IReadOnlyList<ContentHash>? lineage = null, double confidence = 1.0)
        : this(subject, predicate, @object, epoch, agent, lineage, confidence, hash: null)
    {
    }

    private Assertion(string subject, string predicate, StemeValue @object, string epoch, string agent,
        IReadOnlyList<ContentHash>? lineage, double confidence, ContentHash? hash)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(epoch);
        ArgumentNullException.ThrowIfNull(agent);
        if (@object.IsNull || @object.Kind == ValueKind.Timestamp)
            throw new ArgumentException("An object is text, integer, real, boolean or bytes.", nameof(@object));
        Weights.Validate(confidence, StemeErrorCode.InvalidConfidence, "confidence");
        Subject = subject;
        Predicate = predicate;
        Object = @object;
        Epoch = epoch;
        Agent = agent;
        Lineage = CanonicalEncoding.NormalizeLineage(lineage);
        Confidence = confidence;
        Hash = hash ?? CanonicalEncoding.Hash(this);
    }

    /// <summary>
    /// Rebuilds an assertion read back from storage with the hash stored beside it, without hashing
    /// it again: the hash was computed when it was written, and storage tiers verify stored rows in an
    /// explicit integrity check rather than on every read. Use the constructor for anything else.
    /// </summary>
    public static Assertion FromStorage(string subject, string predicate, StemeValue @object, string epoch, string agent,
        IReadOnlyList<ContentHash>? lineage, double confidence, ContentHash storedHash) =>
        new(subject, predicate, @object, epoch, agent, lineage, confidence, storedHash);

    /// <summary>What the claim is about.</summary>
    public string Subject { get; }

    /// <summary>The relation claimed.</summary>
    public string Predicate { get; }

    /// <summary>The typed value claimed.</summary>
    public StemeValue Object { get; }

    /// <summary>The paradigm the claim belongs to; '' is the default epoch.</summary>
    public string Epoch { get; }

    /// <summary>Who claims it.</summary>
    public string Agent { get; }

    /// <summary>Hashes of the assertions this one derives from, sorted and without duplicates.</summary>
    public IReadOnlyList<ContentHash> Lineage { get; }

    /// <summary>The asserting agent's own weight in [0, 1] (not part of the identity).</summary>
    public double Confidence { get; }

    /// <summary>The content address.</summary>
    public ContentHash Hash { get; }

    /// <summary>Equality by content address.</summary>
    public bool Equals(Assertion? other) => other is not null && Hash == other.Hash;

    /// <inheritdoc />
    public override int GetHashCode() => Hash.GetHashCode();
}
