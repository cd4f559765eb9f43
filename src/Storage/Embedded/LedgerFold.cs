using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Folds the ledger (assertions and votes up to an LSN, in LSN order) into the view tables the
/// connection resolves <c>mv_value</c>, <c>mv_set</c> and <c>current_votes</c> to, one event at a time
/// through <see cref="ViewMaintenance"/>'s own statements. The integrity check folds into TEMP tables
/// that shadow the stored ones and compares; repair folds into the emptied stored tables.
/// The ingestor folds in batches (LedgerApplier); folding event by event must give the same views.
/// </summary>
internal static class LedgerFold
{
    /// <summary>The view tables, in the order they are created and compared.</summary>
    public static readonly string[] ViewTables = ["mv_value", "mv_set", "current_votes"];

    private const string EventsSql = """
        SELECT 0, lsn, hash, subject, predicate, object_type, object, confidence FROM main.assertions WHERE lsn <= $upto
        UNION ALL
        SELECT 1, lsn, assertion, agent, NULL, NULL, NULL, weight FROM main.votes WHERE lsn <= $upto
        ORDER BY 2
        """;

    /// <summary>Creates TEMP copies of the view tables (and the index the consensus pick uses), which shadow the stored ones.</summary>
    public static void CreateShadowTables(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT type, sql FROM main.sqlite_master WHERE tbl_name IN ('mv_value', 'mv_set', 'current_votes') AND sql IS NOT NULL";
        var statements = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                string sql = reader.GetString(1);
                statements.Add(reader.GetString(0) == "table"
                    ? "CREATE TEMP TABLE " + sql["CREATE TABLE ".Length..]
                    : "CREATE INDEX temp." + sql["CREATE INDEX ".Length..]);
            }
        }
        foreach (var sql in statements) SqliteRuntime.Execute(connection, sql);
    }

    /// <summary>Folds every event up to <paramref name="upTo"/>; reports votes whose target is missing and rows it cannot read.</summary>
    public static long Fold(SqliteConnection connection, long upTo, Action<IntegrityProblem> report,
        IProgress<IntegrityProgress>? progress, CancellationToken cancellation)
    {
        using var views = new ViewMaintenance(connection);
        using var keyOf = new PreparedSql(connection,
            "SELECT subject, predicate, object_type, object FROM main.assertions WHERE hash = $hash", "hash");
        using var command = connection.CreateCommand();
        command.CommandText = EventsSql;
        command.Parameters.AddWithValue("$upto", upTo);
        using var reader = command.ExecuteReader();
        long events = 0;
        while (reader.Read())
        {
            cancellation.ThrowIfCancellationRequested();
            if (++events % 10_000 == 0) progress?.Report(new IntegrityProgress("views", events));
            long lsn = reader.GetInt64(1);
            try
            {
                if (reader.GetInt64(0) == 0) FoldAssertion(views, reader, lsn);
                else FoldVote(views, keyOf, reader, lsn, report);
            }
            catch (Exception error) when (error is InvalidCastException or InvalidOperationException or ArgumentException)
            {
                report(new IntegrityProblem(IntegrityKinds.UnreadableRow, lsn, null,
                    $"the {(reader.GetInt64(0) == 0 ? "assertion" : "vote")} at LSN {lsn} cannot be read: {error.Message}"));
            }
        }
        return events;
    }

    private static void FoldAssertion(ViewMaintenance views, SqliteDataReader reader, long lsn)
    {
        // The object as stored is what the views key on (an empty blob may read back as NULL).
        var key = new ValueKey(reader.GetString(3), reader.GetString(4), reader.GetInt64(5),
            reader.IsDBNull(6) ? Array.Empty<byte>() : reader.GetValue(6));
        views.OnAssert(key, Weights.ToUnits(reader.GetDouble(7)), lsn);
    }

    private static void FoldVote(ViewMaintenance views, PreparedSql keyOf, SqliteDataReader reader, long lsn, Action<IntegrityProblem> report)
    {
        var target = reader.GetFieldValue<byte[]>(2);
        if (keyOf.Row(target) is not { } row)
        {
            report(new IntegrityProblem(IntegrityKinds.OrphanVote, lsn, target.Length == ContentHash.Size ? ContentHash.FromBytes(target) : null,
                $"the vote at LSN {lsn} is on an assertion the ledger does not hold"));
            return;
        }
        var key = new ValueKey((string)row[0]!, (string)row[1]!, (long)row[2]!, row[3] ?? Array.Empty<byte>());
        long delta = views.ReplaceVote(target, reader.GetString(3), Weights.ToUnits(reader.GetDouble(7)), lsn);
        if (delta == 0) return;
        views.AddToValue(key, delta);
        views.AddToSet(key.Subject, key.Predicate, delta);
    }

    /// <summary>
    /// Reports every row that differs between the stored view tables (main) and the folded ones (temp);
    /// returns how many stored rows were compared.
    /// </summary>
    public static long Compare(SqliteConnection connection, Action<IntegrityProblem> report, int maxPerTable = 100)
    {
        long compared = 0;
        foreach (var table in ViewTables)
        {
            compared += SqliteRuntime.Scalar(connection, $"SELECT count(*) FROM main.{table}") is long n ? n : 0;
            Differences(connection, $"SELECT * FROM main.{table} EXCEPT SELECT * FROM temp.{table}", maxPerTable,
                row => $"{table}: the stored row {row} is not what the ledger folds to",
                more => $"{table}: {more} more stored rows are not what the ledger folds to", report);
            Differences(connection, $"SELECT * FROM temp.{table} EXCEPT SELECT * FROM main.{table}", maxPerTable,
                row => $"{table}: the ledger folds to the row {row}, which the stored view lacks",
                more => $"{table}: the ledger folds to {more} more rows that the stored view lacks", report);
        }
        return compared;
    }

    private static void Differences(SqliteConnection connection, string sql, int max,
        Func<string, string> row, Func<int, string> more, Action<IntegrityProblem> report)
    {
        void Report(string detail) => report(new IntegrityProblem(IntegrityKinds.ViewMismatch, null, null, detail));
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        int seen = 0;
        while (reader.Read())
        {
            if (++seen > max) continue;
            var values = new string[reader.FieldCount];
            for (int i = 0; i < values.Length; i++) values[i] = $"{reader.GetName(i)}={Show(reader.GetValue(i))}";
            Report(row("(" + string.Join(", ", values) + ")"));
        }
        if (seen > max) Report(more(seen - max));
    }

    private static string Show(object value) => value switch
    {
        DBNull => "NULL",
        string text => "'" + (text.Length > 80 ? text[..80] + "…" : text) + "'",
        byte[] bytes => "x'" + Convert.ToHexStringLower(bytes.AsSpan(0, Math.Min(bytes.Length, 40))) + (bytes.Length > 40 ? "…" : "") + "'",
        IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
