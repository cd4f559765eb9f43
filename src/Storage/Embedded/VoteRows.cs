using Microsoft.Data.Sqlite;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The <c>votes</c> rows of a chunk, inserted as <see cref="MultiRowInsert"/> inserts any rows, but held in typed
/// columns and bound unboxed: a vote row is four numbers and a name, and the ingestor writes millions of them, so
/// boxing each number (and switching on its type to bind it) was a measurable share of its CPU per vote.
/// </summary>
internal sealed class VoteRows(SqliteConnection connection) : MultiRowInsert(connection, "votes", Columns)
{
    private static readonly string[] Columns = ["lsn", "assertion_lsn", "agent", "weight", "voted_at"];

    private readonly long[] _lsns = new long[RowsPerStatement];
    private readonly long[] _targets = new long[RowsPerStatement];
    private readonly string[] _agents = new string[RowsPerStatement];
    private readonly double[] _weights = new double[RowsPerStatement];
    private readonly long[] _times = new long[RowsPerStatement];

    /// <summary>Adds a vote's row; inserts a full buffer.</summary>
    public void Add(long lsn, long targetLsn, string agent, double weight, long votedAt)
    {
        int row = Buffered;
        _lsns[row] = lsn;
        _targets[row] = targetLsn;
        _agents[row] = agent;
        _weights[row] = weight;
        _times[row] = votedAt;
        RowAdded();
    }

    /// <inheritdoc />
    protected override void BindRow(PreparedSql statement, int into, int row)
    {
        int slot = into * Columns.Length;
        statement.Bind(slot, _lsns[row]);
        statement.Bind(slot + 1, _targets[row]);
        statement.Bind(slot + 2, _agents[row]);
        statement.Bind(slot + 3, _weights[row]);
        statement.Bind(slot + 4, _times[row]);
    }

    /// <inheritdoc />
    protected override void ClearRows() => Array.Clear(_agents);
}
