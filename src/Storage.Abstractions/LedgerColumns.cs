namespace StemeQL.Storage.Abstractions;

/// <summary>
/// The assertion ledger's columns as every backend's reads select them, from alias <c>a</c> (the tables share these
/// column names): one list, so the row mappers of both backends read the same ordinals.
/// </summary>
public static class LedgerColumns
{
    /// <summary>Every assertion column, in the order the row mappers read them.</summary>
    public const string Assertion =
        "a.lsn, a.hash, a.subject, a.predicate, a.object_type, a.object, a.epoch, a.agent, a.confidence, a.lineage, a.asserted_at";

    /// <summary>How many columns <see cref="Assertion"/> has (a view's tallies follow them).</summary>
    public const int AssertionCount = 11;

    /// <summary>The parts a ledger row has: every <see cref="AssertionFields"/> but a view's tallies.</summary>
    public const AssertionFields Parts = AssertionFields.All & ~AssertionFields.Tallies;

    /// <summary>
    /// <see cref="Assertion"/> with NULL in place of the parts not in <paramref name="fields"/>: the ordinals stay, so one
    /// mapper reads any of them, and the engine neither fetches nor sends a column nobody reads. The LSN is always read.
    /// </summary>
    public static string AssertionFor(AssertionFields fields) => (fields & Parts) == Parts
        ? Assertion
        : string.Join(", ",
            "a.lsn",
            Column(fields, AssertionFields.Hash, "a.hash"),
            Column(fields, AssertionFields.Subject, "a.subject"),
            Column(fields, AssertionFields.Predicate, "a.predicate"),
            Column(fields, AssertionFields.Object, "a.object_type"),
            Column(fields, AssertionFields.Object, "a.object"),
            Column(fields, AssertionFields.Epoch, "a.epoch"),
            Column(fields, AssertionFields.Agent, "a.agent"),
            Column(fields, AssertionFields.Object, "a.confidence"),
            Column(fields, AssertionFields.Lineage, "a.lineage"),
            Column(fields, AssertionFields.AssertedAt, "a.asserted_at"));

    private static string Column(AssertionFields fields, AssertionFields field, string column) => (fields & field) != 0 ? column : "NULL";
}
