using Microsoft.Data.Sqlite;
using StemeQL.Core.Lenses;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// <c>current_votes</c> for a whole batch of votes: reads the votes they replace and writes them
/// <see cref="MultiRowInsert.RowsPerStatement"/> at a time. A read and an upsert per vote were two statements
/// per event, more than the ledger row's share of a multi-row insert; the B-tree work is the same either way.
/// Unqualified table name, so a connection with TEMP shadow tables (the integrity check) uses those.
/// </summary>
internal sealed class CurrentVotesTable : IDisposable
{
    private const int Rows = MultiRowInsert.RowsPerStatement;

    private static readonly string[] KeyColumns = ["assertion", "agent"];
    private static readonly string[] Columns = ["assertion", "agent", "units", "lsn"];

    /// <summary>The current vote of one (assertion, agent).</summary>
    public const string ReadSql = "SELECT weight_units FROM current_votes WHERE assertion = $assertion AND agent = $agent";

    /// <summary>
    /// The current votes of <see cref="MultiRowInsert.RowsPerStatement"/> (assertion, agent) keys, each with its
    /// position among them (the keys in a constant table, then a primary-key seek each); exposed so tests can check its plan.
    /// </summary>
    public static readonly string ReadRowsSql = $"""
        SELECT k.column1, c.weight_units
        FROM (VALUES {string.Join(", ", Enumerable.Range(0, Rows).Select(i => $"({i}, $assertion{i}, $agent{i})"))}) k
        CROSS JOIN current_votes c ON c.assertion = k.column2 AND c.agent = k.column3
        """;

    private const string UpsertTail = " ON CONFLICT(assertion, agent) DO UPDATE SET weight_units = excluded.weight_units, lsn = excluded.lsn";

    /// <summary>Makes one vote the current one of its (assertion, agent).</summary>
    public const string WriteSql = "INSERT INTO current_votes(assertion, agent, weight_units, lsn) VALUES ($assertion, $agent, $units, $lsn)" + UpsertTail;

    // OR FAIL: no statement journal for a multi-row statement (see MultiRowInsert).
    private static readonly string WriteRowsSql =
        "INSERT OR FAIL INTO current_votes(assertion, agent, weight_units, lsn) VALUES " +
        string.Join(", ", Enumerable.Range(0, Rows).Select(i => $"($assertion{i}, $agent{i}, $units{i}, $lsn{i})")) + UpsertTail;

    private readonly PreparedSql _read;
    private readonly PreparedSql _readRows;
    private readonly MultiRowInsert _writes;
    private readonly object?[] _keys = new object?[Rows * KeyColumns.Length];
    private readonly object?[] _row = new object?[Columns.Length];
    // The rows a multi-row read found (a span cannot be written from the row callback).
    private readonly List<(long Position, long Units)> _found = [];
    private readonly Action<object?[]> _addFound;

    /// <summary>Prepares the statements on the writer's (or the check's) connection.</summary>
    public CurrentVotesTable(SqliteConnection connection)
    {
        _addFound = row => _found.Add(((long)row[0]!, (long)row[1]!));
        _read = new PreparedSql(connection, ReadSql, KeyColumns);
        _readRows = new PreparedSql(connection, ReadRowsSql, MultiRowInsert.ParameterNames(KeyColumns, Rows));
        _writes = new MultiRowInsert(Columns.Length,
            new PreparedSql(connection, WriteSql, Columns),
            new PreparedSql(connection, WriteRowsSql, MultiRowInsert.ParameterNames(Columns, Rows)));
    }

    /// <summary>
    /// Writes each of <paramref name="votes"/> (distinct keys) as current, and the units each replaces (0 for none)
    /// into <paramref name="previous"/>: every read first, then the writes, so no read sees a vote of the same batch.
    /// </summary>
    public void Replace(IReadOnlyList<CurrentVote> votes, Span<long> previous)
    {
        var hashes = new byte[votes.Count][];
        for (int i = 0; i < votes.Count; i++) hashes[i] = ValueCodec.HashToColumn(votes[i].Assertion);
        previous.Clear();
        int whole = votes.Count - votes.Count % Rows;
        for (int start = 0; start < whole; start += Rows) ReadRows(votes, hashes, start, previous);
        for (int i = whole; i < votes.Count; i++) previous[i] = _read.Scalar(hashes[i], votes[i].Agent) is long units ? units : 0;
        try
        {
            for (int i = 0; i < votes.Count; i++)
            {
                _row[0] = hashes[i];
                _row[1] = votes[i].Agent;
                _row[2] = votes[i].Units;
                _row[3] = votes[i].Lsn;
                _writes.Add(_row);
            }
            _writes.Flush();
        }
        catch
        {
            _writes.Discard();
            throw;
        }
    }

    private void ReadRows(IReadOnlyList<CurrentVote> votes, byte[][] hashes, int start, Span<long> previous)
    {
        for (int i = 0; i < Rows; i++)
        {
            _keys[2 * i] = hashes[start + i];
            _keys[2 * i + 1] = votes[start + i].Agent;
        }
        _found.Clear();
        _readRows.ForEachRow(_keys, _addFound);
        foreach (var (position, units) in _found) previous[start + (int)position] = units;
        Array.Clear(_keys);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _read.Dispose();
        _readRows.Dispose();
        _writes.Dispose();
    }
}
