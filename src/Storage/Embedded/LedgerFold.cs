using Microsoft.Data.Sqlite;
using System.Globalization;
using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Folds the ledger (assertions and votes up to an LSN, in LSN order) into the view tables the
/// connection resolves <c>mv_value</c>, <c>mv_set</c>, <c>current_votes</c> and <c>mv_winner</c> (lens states and view rows) to,
/// through the same Core <see cref="ViewFold{TValue}"/> the ingestor uses, in chunks of events. The
/// integrity check folds into TEMP tables that shadow the stored ones and compares; repair folds into
/// the emptied stored tables. The ingestor folds other batch sizes; the integer sums make them equal.
/// </summary>
internal static class LedgerFold
{
    /// <summary>The view tables, in the order they are created and compared.</summary>
    public static readonly string[] ViewTables = ["mv_value", "mv_set", "current_votes", "mv_winner"];

    private const int ChunkEvents = 10_000;

    // A vote's target hash comes from the ledger by its LSN: NULL when no assertion has that LSN (an orphan).
    private const string EventsSql = """
        SELECT 0, lsn, hash, subject, predicate, object_type, object, confidence, NULL FROM main.assertions WHERE lsn <= $upto
        UNION ALL
        SELECT 1, v.lsn, a.hash, v.agent, NULL, NULL, NULL, v.weight, v.assertion_lsn FROM main.votes v LEFT JOIN main.assertions a ON a.lsn = v.assertion_lsn WHERE v.lsn <= $upto
        ORDER BY 2
        """;

    /// <summary>Creates TEMP copies of the view tables (and their indexes), which shadow the stored ones.</summary>
    public static void CreateShadowTables(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT type, sql FROM main.sqlite_master WHERE tbl_name IN ({string.Join(", ", ViewTables.Select(t => $"'{t}'"))}) AND sql IS NOT NULL";
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

    /// <summary>
    /// The lenses the check folds and compares: those the store has materialized (its <c>lens:</c> keys)
    /// that this StemeQL defines. A lens known only to the application that opened the store is left alone.
    /// </summary>
    public static IReadOnlyList<ILens> Lenses(SqliteConnection connection)
    {
        var marked = new HashSet<string>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = LensStateTable.MarkedSql.Replace("FROM meta", "FROM main.meta", StringComparison.Ordinal);
            using var reader = command.ExecuteReader();
            while (reader.Read()) marked.Add(reader.GetString(0));
        }
        return [.. LensNames.Available.Values.Where(l => l.Fold is not null && marked.Contains(l.Name)).OrderBy(l => l.Name, StringComparer.Ordinal)];
    }

    /// <summary>Folds every event up to <paramref name="upTo"/>; reports votes whose target is missing and rows it cannot read.</summary>
    public static long Fold(SqliteConnection connection, IReadOnlyList<ILens> lenses, long upTo, Action<IntegrityProblem> report,
        IProgress<IntegrityProgress>? progress, CancellationToken cancellation)
    {
        using var views = new ViewMaintenance(connection);
        using var states = new LensStateTable(connection);
        var fold = new ViewFold<ValueKey>(views, states, lenses);
        void Orphan(ContentHash target, long lsn) => report(new IntegrityProblem(IntegrityKinds.OrphanVote, lsn, target,
            $"the vote at LSN {lsn} is on an assertion the ledger does not hold"));
        using var command = connection.CreateCommand();
        command.CommandText = EventsSql;
        command.Parameters.AddWithValue("$upto", upTo);
        long events = 0;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                cancellation.ThrowIfCancellationRequested();
                if (++events % ChunkEvents == 0)
                {
                    progress?.Report(new IntegrityProgress("views", events));
                    fold.Flush(Orphan);
                    views.Targets.StartChunk();
                }
                long lsn = reader.GetInt64(1);
                try
                {
                    if (reader.GetInt64(0) == 0) FoldAssertion(fold, views.Targets, reader, lsn);
                    else FoldVote(fold, views.Targets, reader, lsn, report);
                }
                catch (Exception error) when (error is InvalidCastException or InvalidOperationException or ArgumentException)
                {
                    report(new IntegrityProblem(IntegrityKinds.UnreadableRow, lsn, null,
                        $"the {(reader.GetInt64(0) == 0 ? "assertion" : "vote")} at LSN {lsn} cannot be read: {error.Message}"));
                }
            }
        }
        fold.Flush(Orphan);
        return events;
    }

    private static void FoldAssertion(ViewFold<ValueKey> fold, VoteTargets targets, SqliteDataReader reader, long lsn)
    {
        // The object as stored is what the views key on (an empty blob may read back as NULL).
        var key = new ValueKey(reader.GetString(3), reader.GetString(4), reader.GetInt64(5),
            reader.IsDBNull(6) ? Array.Empty<byte>() : reader.GetValue(6));
        var hash = reader.GetFieldValue<byte[]>(2);
        if (hash.Length != ContentHash.Size) throw new InvalidOperationException($"the stored hash is {hash.Length} bytes, not {ContentHash.Size}");
        var assertion = ContentHash.FromBytes(hash);
        targets.Known(assertion, lsn);
        fold.Assert(assertion, key, Weights.ToUnits(reader.GetDouble(7)), lsn);
    }

    private static void FoldVote(ViewFold<ValueKey> fold, VoteTargets targets, SqliteDataReader reader, long lsn, Action<IntegrityProblem> report)
    {
        if (reader.IsDBNull(2) || reader.GetFieldValue<byte[]>(2) is not { Length: ContentHash.Size } target)
        {
            report(new IntegrityProblem(IntegrityKinds.OrphanVote, lsn, null,
                $"the vote at LSN {lsn} is on an assertion the ledger does not hold (LSN {reader.GetInt64(8)})"));
            return;
        }
        var assertion = ContentHash.FromBytes(target);
        targets.Known(assertion, reader.GetInt64(8));
        fold.Vote(assertion, reader.GetString(3), Weights.ToUnits(reader.GetDouble(7)), lsn);
    }

    /// <summary>
    /// Reports every row that differs between the stored view tables (main) and the folded ones (temp);
    /// returns how many stored rows were compared.
    /// </summary>
    public static long Compare(SqliteConnection connection, IReadOnlyList<ILens> lenses, Action<IntegrityProblem> report, int maxPerTable = 100)
    {
        long compared = 0;
        foreach (var table in ViewTables)
        {
            // Only the lenses the check folded are compared (see Lenses).
            string rows = table is "mv_winner"
                ? $"{{0}}.{table} WHERE lens IN ({string.Join(", ", lenses.Select(l => $"'{l.Name}'"))})"
                : "{0}." + table;
            string main = string.Format(CultureInfo.InvariantCulture, rows, "main"), temp = string.Format(CultureInfo.InvariantCulture, rows, "temp");
            compared += SqliteRuntime.Scalar(connection, $"SELECT count(*) FROM {main}") is long n ? n : 0;
            Differences(connection, $"SELECT * FROM {main} EXCEPT SELECT * FROM {temp}", maxPerTable,
                row => $"{table}: the stored row {row} is not what the ledger folds to",
                more => $"{table}: {more} more stored rows are not what the ledger folds to", report);
            Differences(connection, $"SELECT * FROM {temp} EXCEPT SELECT * FROM {main}", maxPerTable,
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
