namespace StemeQL.Storage.Embedded;

/// <summary>
/// A <c>votes</c> row, bound unboxed (see <see cref="TypedRowInsert{TRow}"/>): a vote row is four numbers and a name,
/// and the ingestor writes millions of them, so boxing each number (and switching on its type to bind it) was a
/// measurable share of its CPU per vote.
/// </summary>
internal readonly record struct LedgerVoteRow(long Lsn, long TargetLsn, string Agent, double Weight, long VotedAt) : IBoundRow
{
    /// <summary>The columns, in bind order.</summary>
    public static readonly string[] Columns = ["lsn", "assertion_lsn", "agent", "weight", "voted_at"];

    /// <inheritdoc />
    public void BindTo(PreparedSql statement, int firstSlot)
    {
        statement.Bind(firstSlot, Lsn);
        statement.Bind(firstSlot + 1, TargetLsn);
        statement.Bind(firstSlot + 2, Agent);
        statement.Bind(firstSlot + 3, Weight);
        statement.Bind(firstSlot + 4, VotedAt);
    }
}
