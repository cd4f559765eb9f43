using Microsoft.Data.Sqlite;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The <c>votes</c> rows of a chunk, inserted <see cref="MultiRowInsert.RowsPerStatement"/> at a time like
/// <see cref="MultiRowInsert"/> does, but held in typed columns and bound unboxed: a vote row is four numbers and
/// a name, and the ingestor writes millions of them, so boxing each number (and switching on its type to bind it)
/// was a measurable share of its CPU per vote.
/// Rows wait until the buffer is full or flushed; a statement that fails empties the buffer.
/// </summary>
internal sealed class VoteRows : IDisposable
{
    private const int Rows = MultiRowInsert.RowsPerStatement;
    private static readonly string[] Columns = ["lsn", "assertion_lsn", "agent", "weight", "voted_at"];

    private readonly PreparedSql _one;
    private readonly PreparedSql _many;
    private readonly long[] _lsns = new long[Rows];
    private readonly long[] _targets = new long[Rows];
    private readonly string[] _agents = new string[Rows];
    private readonly double[] _weights = new double[Rows];
    private readonly long[] _times = new long[Rows];
    private int _rows;

    /// <summary>Prepares the one-row and multi-row inserts on <paramref name="connection"/>.</summary>
    public VoteRows(SqliteConnection connection)
    {
        _one = new PreparedSql(connection, MultiRowInsert.Sql("votes", Columns, 1), MultiRowInsert.ParameterNames(Columns, 1));
        _many = new PreparedSql(connection, MultiRowInsert.Sql("votes", Columns, Rows), MultiRowInsert.ParameterNames(Columns, Rows));
    }

    /// <summary>Adds a vote's row; inserts a full buffer.</summary>
    public void Add(long lsn, long targetLsn, string agent, double weight, long votedAt)
    {
        _lsns[_rows] = lsn;
        _targets[_rows] = targetLsn;
        _agents[_rows] = agent;
        _weights[_rows] = weight;
        _times[_rows] = votedAt;
        if (++_rows < Rows) return;
        _rows = 0; // first: a failing statement leaves no rows behind for the next transaction
        for (int i = 0; i < Rows; i++) Bind(_many, i, i);
        _many.ExecuteBound();
    }

    /// <summary>Inserts the rows still buffered.</summary>
    public void Flush()
    {
        int rows = _rows;
        _rows = 0;
        try
        {
            for (int i = 0; i < rows; i++)
            {
                Bind(_one, 0, i);
                _one.ExecuteBound();
            }
        }
        finally
        {
            Array.Clear(_agents);
        }
    }

    /// <summary>Drops the rows still buffered (their transaction rolls back).</summary>
    public void Discard()
    {
        _rows = 0;
        Array.Clear(_agents);
    }

    // Row `row` of the buffer into the statement's row `into` (its parameters are the rows' values in row order).
    private void Bind(PreparedSql statement, int into, int row)
    {
        int slot = into * Columns.Length;
        statement.Bind(slot, _lsns[row]);
        statement.Bind(slot + 1, _targets[row]);
        statement.Bind(slot + 2, _agents[row]);
        statement.Bind(slot + 3, _weights[row]);
        statement.Bind(slot + 4, _times[row]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _one.Dispose();
        _many.Dispose();
    }
}
