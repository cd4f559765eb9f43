using StemeQL.Core.Model;

namespace StemeQL.Storage.Abstractions;

/// <summary>A hash a write operation names that is neither stored nor asserted earlier in the write.</summary>
/// <param name="Hash">The hash named.</param>
/// <param name="IsLineage">True for a DERIVED FROM parent, false for a vote's target.</param>
public readonly record struct UnknownReference(ContentHash Hash, bool IsLineage)
{
    /// <summary>The <see cref="StemeErrorCode.UnknownAssertion"/> error, in the words of <paramref name="wording"/>.</summary>
    public StemeException ToException(WriteWording wording) =>
        new(StemeErrorCode.UnknownAssertion,
            $"{(IsLineage ? wording.Lineage : wording.Vote)} names {Hash}, which is not a stored assertion: "
            + $"{(IsLineage ? wording.LineageAdvice : wording.VoteAdvice)} {wording.NothingWritten}");
}
