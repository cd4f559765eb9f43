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
    private const string Table = "current_votes";

    private static readonly string[] KeyColumns = ["assertion_lsn", "agent"];
    private static readonly string[] Columns = CurrentVoteRow.Columns;
    private static readonly (string One, string Many) ReadStatements = KeyedRowLookup.Statements(Table, KeyColumns, "weight_units");

    /// <summary>The current vote of one (assertion LSN, agent).</summary>
    public static string ReadSql => ReadStatements.One;

    /// <summary>
    /// The current votes of <see cref="MultiRowInsert.RowsPerStatement"/> (assertion, agent) keys, each with its
    /// position among them (the keys in a constant table, then a primary-key seek each); exposed so tests can check its plan.
    /// </summary>
    public static string ReadRowsSql => ReadStatements.Many;

    private const string Upsert = "ON CONFLICT(assertion_lsn, agent) DO UPDATE SET weight_units = excluded.weight_units, lsn = excluded.lsn";

    /// <summary>Makes one vote the current one of its (assertion, agent).</summary>
    public static readonly string WriteSql = MultiRowInsert.Sql(Table, Columns, 1, Upsert);

    /// <summary>Makes <see cref="MultiRowInsert.RowsPerStatement"/> votes current (exposed so tests can check its plan).</summary>
    public static readonly string WriteRowsSql = MultiRowInsert.Sql(Table, Columns, MultiRowInsert.RowsPerStatement, Upsert);

    private readonly KeyedRowLookup _read;
    private readonly TypedRowInsert<CurrentVoteRow> _writes;
    private readonly VoteTargets _targets;
    private object[] _keys = [];
    private long[] _lsns = [];
    private int[] _order = [];

    /// <summary>Prepares the statements on the writer's (or the check's) connection; <paramref name="targets"/> names each vote's target LSN.</summary>
    public CurrentVotesTable(SqliteConnection connection, VoteTargets targets)
    {
        _targets = targets;
        _read = new KeyedRowLookup(connection, Table, KeyColumns, "weight_units");
        _writes = new TypedRowInsert<CurrentVoteRow>(connection, Table, Columns, Upsert);
    }

    /// <summary>
    /// Writes each of <paramref name="votes"/> (distinct keys) as current, and the units each replaces (0 for none)
    /// into <paramref name="previous"/>: every read first, then the writes, so no read sees a vote of the same batch.
    /// </summary>
    public void Replace(IReadOnlyList<CurrentVote> votes, Span<long> previous)
    {
        // Boxed for the lookup's keys; the writes bind the numbers unboxed.
        if (_keys.Length < votes.Count)
        {
            int size = Math.Max(votes.Count, _keys.Length * 2);
            (_keys, _lsns, _order) = (new object[size], new long[size], new int[size]);
        }
        for (int i = 0; i < votes.Count; i++)
        {
            _lsns[i] = _targets.LsnOf(votes[i].Assertion);
            _keys[i] = _lsns[i];
            _order[i] = i;
        }
        // Read and written in the table's key order, so each B-tree page is visited once, in order (see KeyOrder).
        Array.Sort(_order, 0, votes.Count, Comparer<int>.Create((a, b) =>
            _lsns[a] != _lsns[b] ? _lsns[a].CompareTo(_lsns[b]) : string.CompareOrdinal(votes[a].Agent, votes[b].Agent)));
        previous.Clear();
        foreach (var (position, units) in _read.Find(votes.Count, (i, key) => (key[0], key[1]) = (_keys[_order[i]], votes[_order[i]].Agent)))
            previous[_order[position]] = (long)units!;
        try
        {
            for (int n = 0; n < votes.Count; n++)
            {
                int i = _order[n];
                _writes.Add(new CurrentVoteRow(_lsns[i], votes[i].Agent, votes[i].Units, votes[i].Lsn));
            }
            _writes.Flush();
        }
        catch
        {
            _writes.Discard();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _read.Dispose();
        _writes.Dispose();
    }
}

/// <summary>A <c>current_votes</c> row: an agent's current vote on the assertion at <paramref name="AssertionLsn"/>.</summary>
internal readonly record struct CurrentVoteRow(long AssertionLsn, string Agent, long Units, long Lsn) : IBoundRow
{
    /// <summary>The columns, in bind order.</summary>
    public static readonly string[] Columns = ["assertion_lsn", "agent", "weight_units", "lsn"];

    /// <inheritdoc />
    public void BindTo(PreparedSql statement, int firstSlot)
    {
        statement.Bind(firstSlot, AssertionLsn);
        statement.Bind(firstSlot + 1, Agent);
        statement.Bind(firstSlot + 2, Units);
        statement.Bind(firstSlot + 3, Lsn);
    }
}
