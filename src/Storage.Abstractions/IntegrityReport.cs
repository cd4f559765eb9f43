using StemeQL.Core.Model;

namespace StemeQL.Storage.Abstractions;

/// <summary>The kinds of problem an integrity check reports (the <c>kind</c> column of <c>stemeql_check</c>).</summary>
public static class IntegrityKinds
{
    /// <summary>An assertion row whose columns no longer hash to its stored hash.</summary>
    public const string AssertionHash = "assertion_hash";

    /// <summary>An assertion or vote row that cannot be decoded at all (a bad type, lineage, weight or hash).</summary>
    public const string UnreadableRow = "unreadable_row";

    /// <summary>A vote whose target assertion is not in the ledger.</summary>
    public const string OrphanVote = "orphan_vote";

    /// <summary>A materialized view row that differs from the fold of the ledger.</summary>
    public const string ViewMismatch = "view_mismatch";

    /// <summary>A packed index row of votes by target or by agent (embedded store) that disagrees with the ledger's votes.</summary>
    public const string VoteIndex = "vote_index";

    /// <summary>A journal segment header or frame that fails its checks.</summary>
    public const string Journal = "journal";

    /// <summary>SQLite's own check of the store file (pages, indexes) found damage.</summary>
    public const string StoreFile = "store_file";

    /// <summary>An object the ledger names is missing from the object store.</summary>
    public const string ObjectMissing = "object_missing";

    /// <summary>An object in the object store does not match its SHA-256 or length.</summary>
    public const string ObjectDamaged = "object_damaged";
}

/// <summary>One problem found by an integrity check.</summary>
/// <param name="Kind">One of <see cref="IntegrityKinds"/>.</param>
/// <param name="Lsn">The LSN of the damaged row or frame, when there is one.</param>
/// <param name="Hash">The stored hash of the damaged assertion (or a vote's target), when there is one.</param>
/// <param name="Detail">What is wrong, in words.</param>
public sealed record IntegrityProblem(string Kind, long? Lsn, ContentHash? Hash, string Detail);

/// <summary>What an integrity check verified and found.</summary>
/// <param name="Problems">Every problem found (empty when the store is sound).</param>
/// <param name="Assertions">Assertion rows whose hash was verified.</param>
/// <param name="Votes">Vote rows whose target was verified.</param>
/// <param name="ViewRows">Materialized view rows compared with the fold of the ledger.</param>
/// <param name="JournalFrames">Journal frames whose checksum was verified.</param>
/// <param name="ViewsRebuilt">True when repair rebuilt the views (or the embedded store's packed vote indexes) from the ledger.</param>
public sealed record IntegrityReport(
    IReadOnlyList<IntegrityProblem> Problems, long Assertions, long Votes, long ViewRows, long JournalFrames, bool ViewsRebuilt)
{
    /// <summary>True when no problem was found.</summary>
    public bool IsSound => Problems.Count == 0;
}

/// <summary>How far a running integrity check has got.</summary>
/// <param name="Stage">What it is doing ("hashes", "views", "journal", ...).</param>
/// <param name="Done">Rows or frames done in this stage.</param>
public readonly record struct IntegrityProgress(string Stage, long Done);
