using System.Globalization;
using Microsoft.Data.Sqlite;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The integrity check of the packed vote indexes (<c>vote_targets</c>, <c>vote_agents</c>, see <see cref="PackedVoteIndex"/>)
/// against <c>votes</c>: each row a JSON array of integer offsets from its <c>first_lsn</c>, starting with 0; each key's LSNs strictly
/// rising across its rows (none listed twice); each listed LSN a vote with that key; and, when fewer votes are listed
/// rightly than <c>votes</c> holds, which votes are missing from their key's lists. Together: every vote listed exactly
/// once, under its own key.
/// </summary>
internal static class PackedVoteCheck
{
    private const int MaxPerTable = 100;

    // Each table, its key column, and what the key is called in a report.
    private static readonly (string Table, string Key, string Name)[] Tables =
        [("vote_targets", "assertion_lsn", "target LSN"), ("vote_agents", "agent", "agent")];

    private const string IsArray = "CASE WHEN json_valid(k.lsns) THEN json_type(k.lsns) END IS 'array'";

    /// <summary>Checks both tables against the <paramref name="votes"/> rows of <c>votes</c>; reports what disagrees.</summary>
    public static void Run(SqliteConnection connection, long votes, Action<IntegrityProblem> report, IProgress<IntegrityProgress>? progress,
        CancellationToken cancellation)
    {
        foreach (var (table, key, name) in Tables)
        {
            int reported = 0;
            void Report(long? lsn, string detail)
            {
                if (++reported <= MaxPerTable) report(new IntegrityProblem(IntegrityKinds.VoteIndex, lsn, null, $"{table}: {detail}"));
            }
            foreach (var (value, first) in Rows(connection, $"SELECT k.{key}, k.first_lsn FROM main.{table} k WHERE NOT {IsArray}"))
                Report(null, $"the row ({name} {Show(value)}, first LSN {first}) is not a JSON array of LSNs");
            long listed = Listed(connection, table, key, name, Report, progress, cancellation);
            if (listed != votes)
            {
                string missing = $"""
                    SELECT v.lsn, v.{key} FROM main.votes v
                    EXCEPT SELECT k.first_lsn + j.value, k.{key} FROM main.{table} k CROSS JOIN json_each(k.lsns) j WHERE {IsArray}
                    """;
                foreach (var (lsn, value) in Rows(connection, missing))
                    Report(Convert.ToInt64(lsn, CultureInfo.InvariantCulture), $"the vote at LSN {lsn} ({name} {Show(value)}) is not listed under its {name}");
            }
            if (reported > MaxPerTable)
                report(new IntegrityProblem(IntegrityKinds.VoteIndex, null, null, $"{table}: {reported - MaxPerTable} more problems"));
        }
    }

    // The listed LSNs are walked twice. In key order, the rows alone: each entry an integer offset, each row starting at
    // its first LSN, each key's LSNs strictly rising. Then each listed LSN is matched with its vote, counted in LSN order
    // (see MatchVotes), and only if some do not match are they walked again in key order to name them. Returns how many
    // listed LSNs are votes with the row's key.
    private static long Listed(SqliteConnection connection, string table, string key, string name, Action<long?, string> report,
        IProgress<IntegrityProgress>? progress, CancellationToken cancellation)
    {
        CheckRows(connection, table, key, name, report, cancellation);
        var (entries, listed) = MatchVotes(connection, table, key, progress, cancellation);
        if (listed < entries) ReportMismatches(connection, table, key, name, report, cancellation);
        return listed;
    }

    private static void CheckRows(SqliteConnection connection, string table, string key, string name, Action<long?, string> report,
        CancellationToken cancellation)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT k.{key}, k.first_lsn, j.key, k.first_lsn + j.value, j.type, j.type = 'integer'
            FROM main.{table} k CROSS JOIN json_each(k.lsns) j
            WHERE {IsArray} ORDER BY k.{key}, k.first_lsn
            """;
        using var reader = command.ExecuteReader();
        long seen = 0, previous = 0;
        object? previousKey = null;
        while (reader.Read())
        {
            if ((++seen & 0xFFFF) == 0) cancellation.ThrowIfCancellationRequested();
            object rowKey = reader.GetValue(0);
            long first = reader.GetInt64(1);
            // Named only when something is reported: five million sound LSNs should not each format a string.
            string Row() => RowName(name, rowKey, first);
            if (reader.GetInt64(5) == 0)
            {
                report(null, $"{Row()} lists a {reader.GetString(4)}, not an LSN");
                continue;
            }
            long lsn = reader.GetInt64(3);
            bool sameKey = rowKey.Equals(previousKey);
            bool inOrder = !sameKey || lsn > previous;
            (previousKey, previous) = (rowKey, lsn);
            if (reader.GetInt64(2) == 0 && lsn != first) report(lsn, $"{Row()} starts at LSN {lsn}, not at its first LSN");
            if (!inOrder) report(lsn, $"{Row()} lists LSN {lsn} out of order or twice");
        }
    }

    // How many LSNs are listed, and how many of them are votes with the row's key. Walked in key order, the votes are
    // looked up at random (on 5 M votes on 1,000 targets, about 10 s); sorted by LSN first, in rowid order (about 2 s).
    // The sort is kept only under an aggregate: SQLite 3.35 flattens an ordered subquery into a plain join and sorts
    // after it. The rows are taken in MatchWindows ranges of first_lsn, a scan of the packed table each, so the check
    // reports progress and can be cancelled between them.
    private const int MatchWindows = 16;

    private static (long Entries, long Listed) MatchVotes(SqliteConnection connection, string table, string key,
        IProgress<IntegrityProgress>? progress, CancellationToken cancellation)
    {
        long last = SqliteRuntime.Scalar(connection, "SELECT max(lsn) FROM main.votes") is long max ? max : 0;
        long width = last / MatchWindows + 1;
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT count(*), total(v.{key} IS p.k)
            FROM (SELECT k.first_lsn + j.value AS lsn, k.{key} AS k
                  FROM main.{table} k CROSS JOIN json_each(k.lsns) j
                  WHERE {IsArray} AND j.type = 'integer' AND k.first_lsn >= $from AND k.first_lsn < $to ORDER BY 1) p
            LEFT JOIN main.votes v ON v.lsn = p.lsn
            """;
        var from = command.Parameters.Add("$from", SqliteType.Integer);
        var to = command.Parameters.Add("$to", SqliteType.Integer);
        long entries = 0, listed = 0;
        for (int window = 0; window < MatchWindows; window++)
        {
            cancellation.ThrowIfCancellationRequested();
            progress?.Report(new IntegrityProgress(table, listed));
            // The first and last windows are open-ended: a damaged row may start anywhere.
            from.Value = window == 0 ? long.MinValue : window * width;
            to.Value = window == MatchWindows - 1 ? long.MaxValue : (window + 1) * width;
            using var reader = command.ExecuteReader();
            reader.Read();
            entries += reader.GetInt64(0);
            listed += (long)reader.GetDouble(1);
        }
        return (entries, listed);
    }

    // Names each listed LSN that is not a vote with the row's key (a damaged store only: this walk reads votes at random).
    private static void ReportMismatches(SqliteConnection connection, string table, string key, string name, Action<long?, string> report,
        CancellationToken cancellation)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT k.{key}, k.first_lsn, k.first_lsn + j.value, v.{key}
            FROM main.{table} k CROSS JOIN json_each(k.lsns) j LEFT JOIN main.votes v ON v.lsn = k.first_lsn + j.value
            WHERE {IsArray} AND j.type = 'integer' AND v.{key} IS NOT k.{key} ORDER BY k.{key}, k.first_lsn
            """;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            cancellation.ThrowIfCancellationRequested();
            long lsn = reader.GetInt64(2);
            string row = RowName(name, reader.GetValue(0), reader.GetInt64(1));
            if (reader.IsDBNull(3)) report(lsn, $"{row} lists LSN {lsn}, which is not a vote");
            else report(lsn, $"{row} lists the vote at LSN {lsn}, whose {name} is {Show(reader.GetValue(3))}");
        }
    }

    private static List<(object, object)> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql + " LIMIT " + (MaxPerTable + 1).ToString(CultureInfo.InvariantCulture);
        using var reader = command.ExecuteReader();
        var rows = new List<(object, object)>();
        while (reader.Read()) rows.Add((reader.GetValue(0), reader.GetValue(1)));
        return rows;
    }

    private static string RowName(string name, object key, long firstLsn) => $"the row ({name} {Show(key)}, first LSN {firstLsn})";

    private static string Show(object value) => value is string text ? "'" + text + "'" : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}
