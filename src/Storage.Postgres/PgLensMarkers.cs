using Npgsql;
using StemeQL.Core.Lenses;
using static StemeQL.Storage.Postgres.PgCommands;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// Which lenses a store's views hold (the <c>lens:NAME</c> rows of <c>stemeql_meta</c>). Opening with a
/// lens the store does not hold yet builds its states from the value tallies (its fold seeds every
/// set, no SQL of its own); a lens no longer asked for is dropped (its states would go stale). Done
/// under the clock lock, so no write runs meanwhile.
/// </summary>
internal static class PgLensMarkers
{
    private const string Prefix = "lens:";

    /// <summary>Makes the stored lens states those of exactly <paramref name="lenses"/>.</summary>
    public static void BuildMissing(NpgsqlConnection connection, IReadOnlyList<ILens> lenses)
    {
        if (Matches(connection, null, lenses)) return;
        using var transaction = connection.BeginTransaction();
        PgClock.Lock(connection, transaction);
        var marked = Marked(connection, transaction);
        foreach (var name in marked.Where(name => !lenses.Any(l => l.Name == name)))
        {
            Execute(connection, transaction, "DELETE FROM mv_winner WHERE lens = $1", name);
            Execute(connection, transaction, "DELETE FROM stemeql_meta WHERE key = $1", Prefix + name);
        }
        var missing = lenses.Where(l => !marked.Contains(l.Name)).ToList();
        if (missing.Count > 0)
        {
            var buffer = new PgFoldBuffer(connection, transaction, [.. missing.Select(l => l.Name)]);
            var fold = new ViewFold<PgValueKey>(buffer, buffer, missing);
            foreach (var lens in missing) Execute(connection, transaction, "DELETE FROM mv_winner WHERE lens = $1", lens.Name);
            foreach (var (set, first, last) in Sets(connection, transaction)) fold.Seed(missing, set, first, last);
            // Each seeded state is written with its view row (one mv_winner row per lens and set).
            buffer.WriteBack();
            foreach (var lens in missing) Execute(connection, transaction, "INSERT INTO stemeql_meta VALUES ($1, 'materialized')", Prefix + lens.Name);
        }
        transaction.Commit();
    }

    private static bool Matches(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<ILens> lenses)
    {
        var marked = Marked(connection, transaction);
        return marked.Count == lenses.Count && lenses.All(l => marked.Contains(l.Name));
    }

    private static HashSet<string> Marked(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        using var command = Create(connection, transaction, "SELECT substr(key, 6) FROM stemeql_meta WHERE key LIKE 'lens:%'");
        using var reader = command.ExecuteReader();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    // Read whole before seeding: a PostgreSQL connection runs one statement at a time.
    private static List<(SetKey Set, long First, long Last)> Sets(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        using var command = Create(connection, transaction, "SELECT (array_agg(subject))[1], (array_agg(predicate))[1], min(lsn), max(lsn) FROM assertions GROUP BY subject_key, predicate_key");
        using var reader = command.ExecuteReader();
        var sets = new List<(SetKey, long, long)>();
        while (reader.Read())
            sets.Add((new SetKey(PgText.FromColumn(reader.GetFieldValue<byte[]>(0)), PgText.FromColumn(reader.GetFieldValue<byte[]>(1))),
                reader.GetInt64(2), reader.GetInt64(3)));
        return sets;
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, string value)
    {
        using var command = Create(connection, transaction, sql, Text(value));
        command.ExecuteNonQuery();
    }
}
