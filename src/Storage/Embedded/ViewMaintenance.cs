using Microsoft.Data.Sqlite;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Folds each new assertion and vote into the materialized views of the <c>consensus</c> and
/// <c>recency</c> lenses, inside the write transaction. Every step is a primary-key or index lookup:
/// a candidate set is never rescanned. The arithmetic is in fixed-point units (see Weights) so the
/// views equal ConsensusLens / RecencyLens evaluated from scratch.
/// </summary>
internal sealed class ViewMaintenance : IDisposable
{
    private const string ValueKeyWhere = "subject = $subject AND predicate = $predicate AND object_type = $type AND object = $object";

    // The consensus ranking of ConsensusLens.Beats (more support, then the value asserted first),
    // answered by the mv_value_rank index as a top-1 lookup.
    private const string ConsensusWinner =
        "(SELECT first_lsn FROM mv_value WHERE subject = $subject AND predicate = $predicate ORDER BY support_units DESC, first_lsn ASC LIMIT 1)";

    private static readonly string[] KeyNames = ["subject", "predicate", "type", "object"];

    private readonly PreparedSql _valueExists;
    private readonly PreparedSql _insertValue;
    private readonly PreparedSql _addToValue;
    private readonly PreparedSql _upsertSetOnAssert;
    private readonly PreparedSql _addToSet;
    private readonly PreparedSql _currentVote;
    private readonly PreparedSql _upsertCurrentVote;

    /// <summary>The statements, exposed so tests can check their query plans use indexes.</summary>
    public static IReadOnlyList<string> Statements { get; } =
    [
        $"SELECT 1 FROM mv_value WHERE {ValueKeyWhere}",
        "INSERT INTO mv_value(subject, predicate, object_type, object, support_units, first_lsn) VALUES ($subject, $predicate, $type, $object, $units, $lsn)",
        $"UPDATE mv_value SET support_units = support_units + $units WHERE {ValueKeyWhere}",
        $"""
        INSERT INTO mv_set(subject, predicate, total_units, candidates, assertion_count, consensus_lsn, recency_lsn)
        VALUES ($subject, $predicate, $units, 1, 1, $lsn, $lsn)
        ON CONFLICT(subject, predicate) DO UPDATE SET
            total_units = total_units + excluded.total_units,
            candidates = candidates + $new_value,
            assertion_count = assertion_count + 1,
            recency_lsn = excluded.recency_lsn,
            consensus_lsn = {ConsensusWinner}
        """,
        $"UPDATE mv_set SET total_units = total_units + $units, consensus_lsn = {ConsensusWinner} WHERE subject = $subject AND predicate = $predicate",
        "SELECT weight_units FROM current_votes WHERE assertion = $assertion AND agent = $agent",
        """
        INSERT INTO current_votes(assertion, agent, weight_units, lsn) VALUES ($assertion, $agent, $units, $lsn)
        ON CONFLICT(assertion, agent) DO UPDATE SET weight_units = excluded.weight_units, lsn = excluded.lsn
        """,
    ];

    /// <summary>Prepares the statements on the writer connection.</summary>
    public ViewMaintenance(SqliteConnection connection)
    {
        _valueExists = new PreparedSql(connection, Statements[0], KeyNames);
        _insertValue = new PreparedSql(connection, Statements[1], [.. KeyNames, "units", "lsn"]);
        _addToValue = new PreparedSql(connection, Statements[2], [.. KeyNames, "units"]);
        _upsertSetOnAssert = new PreparedSql(connection, Statements[3], "subject", "predicate", "units", "lsn", "new_value");
        _addToSet = new PreparedSql(connection, Statements[4], "subject", "predicate", "units");
        _currentVote = new PreparedSql(connection, Statements[5], "assertion", "agent");
        _upsertCurrentVote = new PreparedSql(connection, Statements[6], "assertion", "agent", "units", "lsn");
    }

    /// <summary>
    /// A new assertion (LSN <paramref name="lsn"/>, own confidence <paramref name="units"/>): its value gains
    /// the units (a new value starts with it as first assertion), the set total grows, it becomes the
    /// recency winner (highest LSN) and the consensus winner is picked again.
    /// </summary>
    public void OnAssert(ValueKey key, long units, long lsn)
    {
        bool newValue = _valueExists.Scalar(key.Subject, key.Predicate, key.ObjectType, key.Object) is null;
        if (newValue) _insertValue.Execute(key.Subject, key.Predicate, key.ObjectType, key.Object, units, lsn);
        else _addToValue.Execute(key.Subject, key.Predicate, key.ObjectType, key.Object, units);
        _upsertSetOnAssert.Execute(key.Subject, key.Predicate, units, lsn, newValue ? 1L : 0L);
    }

    /// <summary>
    /// Records <paramref name="agent"/>'s newest vote on an assertion (it replaces the agent's previous
    /// vote there) and returns how far the assertion's support moves: the caller adds that to the
    /// assertion's value and set with <see cref="AddToValue"/> and <see cref="AddToSet"/>.
    /// </summary>
    public long ReplaceVote(byte[] assertion, string agent, long units, long lsn)
    {
        long previous = _currentVote.Scalar(assertion, agent) is long seen ? seen : 0;
        _upsertCurrentVote.Execute(assertion, agent, units, lsn);
        return units - previous;
    }

    /// <summary>Moves a value's support.</summary>
    public void AddToValue(ValueKey key, long delta) =>
        _addToValue.Execute(key.Subject, key.Predicate, key.ObjectType, key.Object, delta);

    /// <summary>Moves a set's total and picks its consensus winner again.</summary>
    public void AddToSet(string subject, string predicate, long delta) => _addToSet.Execute(subject, predicate, delta);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var statement in new[] { _valueExists, _insertValue, _addToValue, _upsertSetOnAssert, _addToSet, _currentVote, _upsertCurrentVote })
            statement.Dispose();
    }
}
