using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The SQL text of each <see cref="ReadShape"/>, built once per shape in the process. Parameters are
/// named by key: <c>$h0..</c> hashes, <c>$s0..</c> subjects, <c>$p0..</c> predicates, <c>$g0..</c>
/// agents, <c>$t0/$o0..</c> object type and value, <c>$min_lsn</c>, <c>$max_lsn</c>, <c>$limit</c>, and
/// <c>$lens</c> for a view (one statement serves every lens: their states share <c>lens_state</c>).
/// A set bound through a table reads <c>temp.stemeql_keys_{kind}</c> (see <see cref="TableName"/>).
/// </summary>
internal static class ReadSql
{
    private static readonly ConcurrentDictionary<ReadShape, string> Texts = new();

    // SQLite 3.53 plans with the value bound to a plain "LIMIT $limit", so binding it again (every read does) expires the
    // statement and its next step compiles it again: twice the time of a ten-row read. Inside a CAST the value is
    // read only when the statement runs, as SQLite 3.35 always did.
    private const string Limit = " LIMIT CAST($limit AS INTEGER)";

    /// <summary>The parameter name prefix of each key kind.</summary>
    public static string Prefix(KeyKind kind) => kind switch
    {
        KeyKind.Hash => "$h",
        KeyKind.Subject => "$s",
        KeyKind.Predicate => "$p",
        KeyKind.Agent => "$g",
        _ => "$o",
    };

    /// <summary>The temporary table a large set of <paramref name="kind"/> is loaded into.</summary>
    public static string TableName(KeyKind kind) => "temp.stemeql_keys_" + kind.ToString().ToLowerInvariant();

    /// <summary>The SQL of <paramref name="shape"/>.</summary>
    public static string For(ReadShape shape) => Texts.GetOrAdd(shape, Build);

    private static string Build(ReadShape shape)
    {
        var sql = new StringBuilder("SELECT ");
        var where = new List<string>();
        string order;
        string? group = shape.GroupBy is { } column ? GroupColumnSql(shape, column) : null;
        if (group is not null) sql.Append(group).Append(", ");
        switch (shape.Target)
        {
            case ReadTarget.Assertions:
                sql.Append(shape.IsCount ? "count(*)" : LedgerColumns.AssertionFor(shape.Fields)).Append(" FROM assertions a");
                // Without statistics SQLite would seek a pinned predicate or agent and sort all its rows; the planner asks for
                // this order when walking the index by subject, checking the other keys on the way, stops sooner.
                if (!shape.IsCount && shape.IsOrdered && shape.OrderBy[0].Column == OrderColumn.Subject
                    && !shape.Pins(KeyKind.Subject) && !shape.Pins(KeyKind.Hash)) sql.Append(" INDEXED BY assertions_key");
                AddKeys(shape, where, "a.hash", "a.subject", "a.predicate", "a.agent", "a.object_type", "a.object", "a.lsn");
                // In an order of its own, the ledger's LSN breaks ties: with the index on (subject, predicate) SQLite walks
                // the index and sorts only each run of equal keys by LSN ("RIGHT PART OF ORDER BY"), so a limit stops it early.
                order = shape.IsOrdered ? ReadOrder.SqlTerms(shape.OrderBy, "a.subject", "a.predicate", "a.lsn", "a.lsn") : "a.lsn";
                break;
            case ReadTarget.Votes:
                if (!shape.IsCount) sql.Append(RowMapper.VoteColumns);
                order = VotesFrom(shape, sql, where);
                break;
            default:
                if (SetsOnly(shape))
                {
                    // Every set has exactly one view row, so counting sets needs no winner.
                    sql.Append("count(*) FROM mv_set s");
                    AddKeys(shape, where, "", "s.subject", "s.predicate", "", "", "", "");
                    order = "";
                    break;
                }
                string keyTable = "a";
                // The winner row (mv_winner, see WinnerTable) holds the whole view row under the assertion's column
                // names, so it is aliased as the assertion: a view read pinned by (subject, predicate) is one seek.
                sql.Append(shape.IsCount ? "count(*)" : WinnerColumns);
                const string WinnerKey = "a.lens = $lens AND a.subject = {0}.subject AND a.predicate = {0}.predicate";
                if (shape.Pins(KeyKind.Object))
                {
                    // A reverse lookup starts from the index of values by (predicate, object): every set holding
                    // the value, then keeps those whose winner has it. CROSS JOIN fixes that order: without
                    // statistics SQLite would rather walk every winner of the lens.
                    sql.Append(" FROM mv_value mv CROSS JOIN mv_winner a ON ").Append(string.Format(CultureInfo.InvariantCulture, WinnerKey, "mv"))
                        .Append(" AND a.object_type = mv.object_type AND ").Append(WinnerTable.ObjectColumn).Append(" IS mv.object");
                    AddKeys(shape, where, "a.hash", "mv.subject", "mv.predicate", "a.agent", "mv.object_type", "mv.object", "a.lsn");
                }
                else if (shape.Pins(KeyKind.Hash))
                {
                    // By hash: the ledger's hash index names the set, then its winner row is one seek.
                    sql.Append(" FROM assertions h CROSS JOIN mv_winner a ON ").Append(string.Format(CultureInfo.InvariantCulture, WinnerKey, "h"))
                        .Append(" AND a.lsn = h.lsn");
                    AddKeys(shape, where, "h.hash", "a.subject", "a.predicate", "a.agent", "a.object_type", "a.object", "a.lsn");
                }
                else if (shape.Pins(KeyKind.Predicate) && !shape.Pins(KeyKind.Subject))
                {
                    // By predicate: its sets by mv_set_predicate (in subject order), then each winner row by its key. An order of
                    // keys names the sets' columns, which SQLite sees the index hold (the winner's equal ones it does not).
                    sql.Append(" FROM mv_set s CROSS JOIN mv_winner a ON ").Append(string.Format(CultureInfo.InvariantCulture, WinnerKey, "s"));
                    keyTable = "s";
                    AddKeys(shape, where, "a.hash", "s.subject", "s.predicate", "a.agent", "a.object_type", "a.object", "a.lsn");
                }
                else
                {
                    sql.Append(" FROM mv_winner a");
                    where.Add("a.lens = $lens");
                    AddKeys(shape, where, "a.hash", "a.subject", "a.predicate", "a.agent", "a.object_type", "a.object", "a.lsn");
                }
                order = shape.IsOrdered ? ReadOrder.SqlTerms(shape.OrderBy, keyTable + ".subject", keyTable + ".predicate", "a.lsn", $"{keyTable}.subject, {keyTable}.predicate")
                    : shape.Descending ? "a.subject DESC, a.predicate DESC" : "a.subject, a.predicate";
                break;
        }
        if (where.Count > 0) sql.Append(" WHERE ").AppendJoin(" AND ", where);
        if (group is not null) sql.Append(" GROUP BY ").Append(group);
        if (shape.IsCount) return sql.ToString();
        sql.Append(" ORDER BY ").Append(order);
        if (!shape.IsView && shape.Descending && !order.EndsWith(" DESC", StringComparison.Ordinal)) sql.Append(" DESC");
        if (shape.HasLimit) sql.Append(Limit);
        return sql.ToString();
    }

    // A packed row lists its votes as offsets from its first_lsn (schema version 8): the LSN of a listed vote.
    private const string ListedLsn = "(k.first_lsn + j.value)";

    // Votes pinned by their target's keys are found through vote_targets, by agent through vote_agents (the packed
    // indexes, see PackedVoteIndex): each packed row of the key is expanded by json_each and each vote read by its LSN
    // (the rowid, ListedLsn), its own key checked again, so a packed row listing a vote under the wrong key adds nothing.
    // A count that needs nothing of the vote rows counts the listed LSNs alone, without expanding a packed row where no
    // LSN bound can cut it (json_array_length: SQLite 3.53's json_each costs two to three times as much). A single key's
    // rows cover rising, disjoint LSN ranges, so (first_lsn, position) is its LSN order: SQLite sorts one row's LSNs at a
    // time ("last term of ORDER BY"), and a limited read takes its LSNs that way in a subquery before it reads any vote
    // row, so the newest ten votes of a busy agent read ten votes and sort one packed row. Returns the ORDER BY.
    private static string VotesFrom(ReadShape shape, StringBuilder sql, List<string> where)
    {
        bool byTarget = PinsVoteTarget(shape);
        // Votes counted by agent (not pinned by target) are counted from vote_agents, in its key order, too.
        if (!byTarget && !shape.Pins(KeyKind.Agent) && shape.GroupBy != GroupColumn.Agent)
        {
            // By LSN alone: the ledger's own order. A vote names its target by LSN: its hash comes from the target's row.
            sql.Append(shape.IsCount ? "count(*)" : "").Append(" FROM votes v");
            if (!shape.IsCount) sql.Append(" LEFT JOIN assertions a ON a.lsn = v.assertion_lsn");
            AddKeys(shape, where, "", "", "", "", "", "", "v.lsn");
            return "v.lsn";
        }
        // The agent of a vote found by target is a filter on the vote rows (v.agent), which only the full join has.
        bool filtersVotes = byTarget && shape.Pins(KeyKind.Agent);
        bool singleKey = byTarget ? shape.ParameterCount(KeyKind.Hash) == 1 : shape.ParameterCount(KeyKind.Agent) == 1;
        string packedOrder = shape.Descending ? "k.first_lsn DESC, j.key DESC" : "k.first_lsn, j.key";
        // CROSS JOIN fixes the order: the targets from the ledger's indexes first, then their packed rows.
        string packedRows = byTarget ? "assertions a CROSS JOIN vote_targets k ON k.assertion_lsn = a.lsn" : "vote_agents k";
        string listed = packedRows + " CROSS JOIN json_each(k.lsns) j";
        var packedWhere = new List<string>();
        if (byTarget) AddKeys(shape, packedWhere, "a.hash", "a.subject", "a.predicate", "v.agent", "a.object_type", "a.object", ListedLsn);
        else AddKeys(shape, packedWhere, "", "", "", "k.agent", "", "", ListedLsn);
        // A packed row starts at its first LSN: those starting past the upper bound are skipped by the key's range.
        if (shape.HasMaxLsn) packedWhere.Add("k.first_lsn <= $max_lsn");
        string keyColumn = byTarget ? "a.lsn" : "k.agent", voteKey = byTarget ? "v.assertion_lsn" : "v.agent";
        if (shape.IsCount && !filtersVotes && (shape.GroupBy is null || !byTarget))
        {
            if (shape.HasMinLsn || shape.HasMaxLsn) sql.Append("count(*) FROM ").Append(listed);
            else sql.Append("coalesce(sum(json_array_length(k.lsns)), 0) FROM ").Append(packedRows);
            where.AddRange(packedWhere);
            return "";
        }
        if (!shape.IsCount && shape.HasLimit && singleKey && !filtersVotes)
        {
            sql.Append(" FROM (SELECT ").Append(keyColumn).Append(" AS pk, ").Append(ListedLsn).Append(" AS lsn FROM ").Append(listed)
                .Append(packedWhere.Count > 0 ? " WHERE " : "").AppendJoin(" AND ", packedWhere)
                .Append(" ORDER BY ").Append(packedOrder).Append(Limit).Append(") p CROSS JOIN votes v ON v.lsn = p.lsn AND ").Append(voteKey).Append(" = p.pk")
                .Append(" LEFT JOIN assertions a ON a.lsn = v.assertion_lsn");
            return "v.lsn";
        }
        sql.Append(shape.IsCount ? "count(*)" : "").Append(" FROM ").Append(listed).Append(" CROSS JOIN votes v ON v.lsn = ").Append(ListedLsn).Append(" AND ").Append(voteKey).Append(" = ").Append(keyColumn);
        // LEFT JOIN keeps a vote whose target is missing (damage: its read reports it).
        if (!byTarget && !shape.IsCount) sql.Append(" LEFT JOIN assertions a ON a.lsn = v.assertion_lsn");
        where.AddRange(packedWhere);
        return singleKey ? packedOrder : "v.lsn";
    }

    // The view row's columns from the winner row: the assertion's (its object from the ledger where the row holds no copy), then the tallies.
    private static readonly string WinnerColumns = ViewColumns(RowMapper.AssertionColumns);

    private static string ViewColumns(string assertionColumns)
    {
        string columns = assertionColumns.Replace("a.object,", WinnerTable.ObjectColumn + ",", StringComparison.Ordinal);
        if (columns == assertionColumns) throw new InvalidOperationException("The assertion columns no longer name a.object: a view read would miss the objects mv_winner does not copy.");
        return columns + ", a.support_units, a.total_units, a.candidates";
    }

    // A view count that needs nothing of the winners reads the sets alone (each set has one view row).
    private static bool SetsOnly(ReadShape shape) =>
        shape.IsView && shape.IsCount && !PinsWinner(shape) && shape.GroupBy != GroupColumn.Agent;

    // The grouping column as the statement names it: from the sets when the count reads them alone, else from the winner row.
    private static string GroupColumnSql(ReadShape shape, GroupColumn column) => (shape.Target, column) switch
    {
        (ReadTarget.Votes, GroupColumn.Agent) => PinsVoteTarget(shape) ? "v.agent" : "k.agent",
        (ReadTarget.Votes, _) => throw new ArgumentOutOfRangeException(nameof(column), column, "Votes are counted by agent only."),
        (ReadTarget.Assertions, _) or (_, GroupColumn.Agent) => "a." + column.ToString().ToLowerInvariant(),
        _ => (SetsOnly(shape) ? "s." : "a.") + column.ToString().ToLowerInvariant(),
    };

    // Votes pinned by a key of their target are found through vote_targets (see VotesFrom).
    private static bool PinsVoteTarget(ReadShape shape) =>
        shape.Pins(KeyKind.Hash) || shape.Pins(KeyKind.Subject) || shape.Pins(KeyKind.Predicate) || shape.Pins(KeyKind.Object);

    private static bool PinsWinner(ReadShape shape) => shape.Pins(KeyKind.Hash) || shape.Pins(KeyKind.Agent) || shape.Pins(KeyKind.Object)
        || shape.HasMinLsn || shape.HasMaxLsn;

    private static void AddKeys(ReadShape shape, List<string> where, string hash, string subject, string predicate, string agent,
        string objectType, string objectValue, string lsn)
    {
        AddIn(shape, where, KeyKind.Hash, hash);
        AddIn(shape, where, KeyKind.Subject, subject);
        AddIn(shape, where, KeyKind.Predicate, predicate);
        AddIn(shape, where, KeyKind.Agent, agent);
        if (shape.UsesTable(KeyKind.Object))
        {
            where.Add($"({objectType}, {objectValue}) IN (SELECT t, v FROM {TableName(KeyKind.Object)})");
        }
        else if (shape.ParameterCount(KeyKind.Object) == 1)
        {
            where.Add($"{objectType} = $t0 AND {objectValue} = {TextOrValue("$o0")}");
        }
        else if (shape.ParameterCount(KeyKind.Object) is var objects and > 0)
        {
            var pairs = Enumerable.Range(0, objects).Select(i => Invariant($"($t{i}, {TextOrValue("$o" + Invariant(i))})"));
            where.Add($"({objectType}, {objectValue}) IN (VALUES {string.Join(", ", pairs)})");
        }
        if (shape.HasMinLsn) where.Add($"{lsn} >= $min_lsn");
        if (shape.HasMaxLsn) where.Add($"{lsn} <= $max_lsn");
    }

    private static void AddIn(ReadShape shape, List<string> where, KeyKind kind, string column)
    {
        if (shape.UsesTable(kind))
        {
            where.Add($"{column} IN (SELECT v FROM {TableName(kind)})");
            return;
        }
        int count = shape.ParameterCount(kind);
        if (count == 0) return;
        string prefix = Prefix(kind);
        // Text keys are cast: text holding U+0000 is bound as its UTF-8 bytes (see TextKey).
        Func<int, string> parameter = kind == KeyKind.Hash ? i => prefix + Invariant(i) : i => $"CAST({prefix}{Invariant(i)} AS TEXT)";
        where.Add(count == 1
            ? $"{column} = {parameter(0)}"
            : $"{column} IN ({string.Join(", ", Enumerable.Range(0, count).Select(parameter))})");
    }

    /// <summary>An object value parameter: text bound as UTF-8 bytes (see <see cref="TextKey"/>) is cast back to text.</summary>
    public static string TextOrValue(string parameter) =>
        $"CASE WHEN typeof({parameter}) = 'blob' AND {parameter.Replace("$o", "$t", StringComparison.Ordinal)} = {(int)Core.Model.ObjectType.Text} THEN CAST({parameter} AS TEXT) ELSE {parameter} END";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
