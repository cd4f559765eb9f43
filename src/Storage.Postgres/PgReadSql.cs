using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// The SQL text of each <see cref="PgReadShape"/>, built once per shape. Every pinned key is an indexed
/// condition bound as an array (<c>= ANY(@s)</c>), or as a scalar when it has one value (<see cref="PgReadShape"/>): <c>@h</c> hashes, <c>@s</c> subject keys, <c>@p</c> predicate keys (<see cref="PgText.Key"/>),
/// <c>@g</c> agents, <c>@ot</c>/<c>@od</c> object types and digests, <c>@min</c>, <c>@max</c>, <c>@limit</c>; a view's lens is a literal (<see cref="PgReadShape.Lens"/>).
/// The names are then numbered (<c>$1</c>, <c>$2</c>, ...) in that order, skipping those the shape does not bind, so that
/// Npgsql sends the text as it is instead of parsing and rewriting it on every read; <c>PostgresStore.Bind</c> adds the
/// parameters in the same order.
/// </summary>
internal static class PgReadSql
{
    /// <summary>The assertion columns, in the order <see cref="PgRows.Assertion(Npgsql.NpgsqlDataReader)"/> reads them, from alias <c>a</c>.</summary>
    public const string AssertionColumns = LedgerColumns.Assertion;

    /// <summary>The vote columns, in the order <see cref="PgRows.Vote"/> reads them, from alias <c>v</c>.</summary>
    public const string VoteColumns = "v.assertion, v.agent, v.weight, v.lsn, v.voted_at";

    private static readonly ConcurrentDictionary<PgReadShape, string> Texts = new();

    /// <summary>The SQL of <paramref name="shape"/>.</summary>
    public static string For(PgReadShape shape) => Texts.GetOrAdd(shape, Build);

    private static string Build(PgReadShape shape)
    {
        var sql = new StringBuilder("SELECT ");
        var where = new List<string>();
        string order;
        switch (shape.Target)
        {
            case StoreRelation.Assertions:
                sql.Append(shape.IsCount ? "count(*)" : PgRows.Columns(shape.Fields, view: false)).Append(" FROM assertions a");
                Keys(shape, where, "a.hash", "a.subject_key", "a.predicate_key", "a.agent", "a", "a.lsn");
                // In an order of its own, the LSN breaks ties: assertions_key holds (subject_key, predicate_key, lsn), so
                // under a limit the server walks it and sorts only each run of equal keys (an incremental sort).
                order = shape.Order != 0 ? ReadOrder.SqlTerms(ReadOrder.Keys(shape.Order), "a.subject_key", "a.predicate_key", "a.lsn", "a.lsn")
                    : shape.Descending ? "a.lsn DESC" : "a.lsn";
                break;
            case StoreRelation.Votes:
                sql.Append(shape.IsCount ? "count(*)" : VoteColumns).Append(" FROM votes v");
                if (shape.Subjects || shape.Predicates || shape.Objects) sql.Append(" JOIN assertions a ON a.hash = v.assertion");
                Keys(shape, where, "v.assertion", "a.subject_key", "a.predicate_key", "v.agent", "a", "v.lsn");
                order = shape.Descending ? "v.lsn DESC" : "v.lsn";
                break;
            default:
                if (shape.IsCount && !shape.PinsWinner)
                {
                    // Every set has exactly one view row, so counting sets needs no join.
                    sql.Append("count(*) FROM mv_set s");
                    Keys(shape, where, "", "s.subject", "s.predicate", "", "", "");
                    order = "";
                    break;
                }
                if (shape.Subjects)
                {
                    // A read by subject is a seek in mv_winner, the view rows denormalized (PgWinners).
                    sql.Append(shape.IsCount ? "count(*)" : PgRows.Columns(shape.Fields, view: true)).Append(" FROM mv_winner a");
                    where.Add("a.lens = " + Literal(shape.Lens!));
                    Keys(shape, where, "a.hash", "a.subject_key", "a.predicate_key", "a.agent", "a", "a.lsn");
                    order = shape.Order != 0 ? ReadOrder.SqlTerms(ReadOrder.Keys(shape.Order), "a.subject_key", "a.predicate_key", "a.lsn", "a.subject_key, a.predicate_key")
                        : shape.Descending ? "a.subject_key DESC, a.predicate_key DESC" : "a.subject_key, a.predicate_key";
                    break;
                }
                // Other reads reach the sets through mv_set (by predicate: mv_set_predicate), and each set's view row is its
                // mv_winner row; a reverse lookup by object goes through mv_value's object index (mv_value_object).
                sql.Append(shape.IsCount ? "count(*)" : PgRows.Columns(shape.Fields, view: true))
                    .Append(" FROM mv_set s JOIN mv_winner a ON a.lens = ").Append(Literal(shape.Lens!)).Append(" AND a.subject_key = s.subject AND a.predicate_key = s.predicate");
                if (shape.Objects)
                    sql.Append(" JOIN mv_value mv ON mv.subject = s.subject AND mv.predicate = s.predicate AND mv.object_type = a.object_type AND mv.object_digest = a.object_digest");
                Keys(shape, where, "a.hash", "s.subject", "s.predicate", "a.agent", shape.Objects ? "mv" : "a", "a.lsn");
                order = shape.Order != 0 ? ReadOrder.SqlTerms(ReadOrder.Keys(shape.Order), "s.subject", "s.predicate", "a.lsn", "s.subject, s.predicate")
                    : shape.Descending ? "s.subject DESC, s.predicate DESC" : "s.subject, s.predicate";
                break;
        }
        if (where.Count > 0) sql.Append(" WHERE ").AppendJoin(" AND ", where);
        if (shape.IsCount) return Number(shape, sql.ToString());
        // One set has one view row: nothing to order.
        if (!(shape.Target == StoreRelation.View && shape.OneSubject && shape.OnePredicate)) sql.Append(" ORDER BY ").Append(order);
        if (shape.Limit) sql.Append(" LIMIT @limit");
        return Number(shape, sql.ToString());
    }

    /// <summary>A lens's name as an SQL string (names are the store's own, but quoted all the same).</summary>
    public static string Literal(string lens) => "'" + lens.Replace("'", "''", StringComparison.Ordinal) + "'";

    // The parameters a shape binds, in Bind's order.
    private static string Number(PgReadShape shape, string sql)
    {
        var names = new List<string>();
        if (shape.Hashes) names.Add("h");
        if (shape.Subjects) names.Add("s");
        if (shape.Predicates) names.Add("p");
        if (shape.Agents) names.Add("g");
        if (shape.Objects) names.AddRange(["ot", "od"]);
        if (shape.MinLsn) names.Add("min");
        if (shape.MaxLsn) names.Add("max");
        if (shape.Limit) names.Add("limit");
        for (int i = 0; i < names.Count; i++)
            sql = Regex.Replace(sql, "@" + names[i] + @"\b", "$" + (i + 1).ToString(CultureInfo.InvariantCulture));
        return sql;
    }

    private static void Keys(PgReadShape shape, List<string> where, string hash, string subject, string predicate, string agent,
        string objectTable, string lsn)
    {
        if (shape.Hashes) where.Add(shape.OneHash ? $"{hash} = @h" : $"{hash} = ANY(@h)");
        if (shape.Subjects) where.Add(shape.OneSubject ? $"{subject} = @s" : $"{subject} = ANY(@s)");
        if (shape.Predicates) where.Add(shape.OnePredicate ? $"{predicate} = @p" : $"{predicate} = ANY(@p)");
        if (shape.Agents) where.Add($"{agent} = ANY(@g)");
        if (shape.Objects)
            where.Add($"({objectTable}.object_type, {objectTable}.object_digest) IN (SELECT * FROM unnest(@ot::smallint[], @od::bytea[]))");
        if (shape.MinLsn) where.Add($"{lsn} >= @min");
        if (shape.MaxLsn) where.Add($"{lsn} <= @max");
    }
}
