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

    // Walks every listed LSN in key order; returns how many are rightly listed (a vote with the row's key, in order).
    private static long Listed(SqliteConnection connection, string table, string key, string name, Action<long?, string> report,
        IProgress<IntegrityProgress>? progress, CancellationToken cancellation)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT k.{key}, k.first_lsn, j.key, k.first_lsn + j.value, j.type, v.{key}, j.type = 'integer', v.{key} IS k.{key}
            FROM main.{table} k CROSS JOIN json_each(k.lsns) j LEFT JOIN main.votes v ON v.lsn = k.first_lsn + j.value
            WHERE {IsArray} ORDER BY k.{key}, k.first_lsn
            """;
        using var reader = command.ExecuteReader();
        long listed = 0, previous = 0;
        object? previousKey = null;
        while (reader.Read())
        {
            if ((listed & 0xFFFF) == 0)
            {
                // Every vote is looked up once per table here: on a large store this is most of the check's time.
                cancellation.ThrowIfCancellationRequested();
                progress?.Report(new IntegrityProgress(table, listed));
            }
            object rowKey = reader.GetValue(0);
            long first = reader.GetInt64(1);
            // Named only when something is reported: five million sound LSNs should not each format a string.
            string Row() => $"the row ({name} {Show(rowKey)}, first LSN {first})";
            if (reader.GetInt64(6) == 0)
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
            else if (reader.IsDBNull(5)) report(lsn, $"{Row()} lists LSN {lsn}, which is not a vote");
            else if (reader.GetInt64(7) == 0) report(lsn, $"{Row()} lists the vote at LSN {lsn}, whose {name} is {Show(reader.GetValue(5))}");
            else listed++;
        }
        return listed;
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

    private static string Show(object value) => value is string text ? "'" + text + "'" : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}
