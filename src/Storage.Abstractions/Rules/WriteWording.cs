using StemeQL.Core.Model;

namespace StemeQL.Storage.Abstractions;

/// <summary>
/// How the write rules' errors name things: in StemeQL's words for statements, or in the bulk loader's
/// field and .NET type names for its rows. The rules are the same; only the words differ.
/// </summary>
public sealed class WriteWording
{
    /// <summary>ASSERT and VOTE statements, alone, in a batch or in a transaction (and any direct store write).</summary>
    public static readonly WriteWording Statements = new(
        lineage: "DERIVED FROM",
        vote: "VOTE",
        lineageAdvice: "assert it first (in the same write it must come before the assertion derived from it).",
        voteAdvice: "check the hash (ASSERT returns it), or assert the claim first (in the same write it must come before the vote).",
        nothingWritten: "Nothing was written.",
        objectKinds: "text, an integer, a real, TRUE/FALSE or bytes",
        describe: value => value.IsNull ? "NULL" : $"the {value.Kind.ToString().ToLowerInvariant()} {value}");

    /// <summary>Rows of the bulk loader and <c>steme import</c> (the caller puts the row's number in front).</summary>
    public static readonly WriteWording BulkRows = new(
        lineage: "DerivedFrom",
        vote: "The vote",
        lineageAdvice: "assert it first (earlier in the input).",
        voteAdvice: "assert it first (earlier in the input).",
        nothingWritten: "Nothing of this row's batch was written.",
        objectKinds: "a string, integer, floating-point number, bool or byte[]",
        describe: value => value.IsNull ? "null" : "a timestamp");

    private readonly Func<StemeValue, string> _describe;

    private WriteWording(string lineage, string vote, string lineageAdvice, string voteAdvice, string nothingWritten,
        string objectKinds, Func<StemeValue, string> describe)
    {
        Lineage = lineage;
        Vote = vote;
        LineageAdvice = lineageAdvice;
        VoteAdvice = voteAdvice;
        NothingWritten = nothingWritten;
        ObjectKinds = objectKinds;
        _describe = describe;
    }

    /// <summary>What names an assertion's parents.</summary>
    public string Lineage { get; }

    /// <summary>What names a vote.</summary>
    public string Vote { get; }

    /// <summary>What to do about a parent that is not stored.</summary>
    public string LineageAdvice { get; }

    /// <summary>What to do about a vote whose target is not stored.</summary>
    public string VoteAdvice { get; }

    /// <summary>What a failing write left behind: nothing.</summary>
    public string NothingWritten { get; }

    /// <summary>The kinds of value an object may be.</summary>
    public string ObjectKinds { get; }

    /// <summary>How a value that is not allowed is named.</summary>
    public string Describe(StemeValue value) => _describe(value);
}
