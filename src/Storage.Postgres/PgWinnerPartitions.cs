using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// <c>mv_winner</c> is partitioned by lens (schema version 4), one partition per lens: each lens's primary key holds only
/// its own sets (a B-tree level fewer than one key over every lens at tens of thousands of sets), and a view read, which
/// names its lens as a literal, is pruned to one partition when PostgreSQL plans it. A lens's partition is made the first
/// time a writable store opens with that lens (<see cref="Ensure"/>), before the lens is built (<see cref="PgLensMarkers"/>),
/// so every lens that writes a row has one. There is no DEFAULT partition: it would only hide a missing partition behind a
/// slower path, and each later partition's creation would have to scan and lock it. A lens no longer materialized keeps its
/// (emptied) partition: another process may still write it.
/// </summary>
internal static partial class PgWinnerPartitions
{
    /// <summary>
    /// The partition's table name: <c>mv_winner_</c> and the lens's name when that is a plain lowercase identifier, else
    /// <c>mv_winner__</c> and a digest of the name. A plain name ending in <c>pkey</c> is digested too, so no partition
    /// takes the name of another's primary key index (<c>mv_winner_consensus_pkey</c>) or the parent's (<c>mv_winner_pkey</c>).
    /// </summary>
    public static string Name(string lens) =>
        PlainName().IsMatch(lens) && !lens.EndsWith("pkey", StringComparison.Ordinal)
            ? "mv_winner_" + lens
            : "mv_winner__" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lens)), 0, 8);

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainName();

    /// <summary>
    /// Makes the partitions of <paramref name="lenses"/> that do not exist yet, in a transaction of its own under the creation
    /// lock: a partition's creation locks the whole table (readers and writers of every lens wait), so it is kept apart from
    /// the lens's build, which may take long; two processes opening with a new lens at once make it once.
    /// </summary>
    public static void Ensure(NpgsqlConnection connection, IReadOnlyList<string> lenses)
    {
        if (Missing(connection, null, lenses).Count == 0) return;
        using var transaction = connection.BeginTransaction();
        PgSchema.LockCreation(connection, transaction);
        Create(connection, transaction, Missing(connection, transaction, lenses));
        transaction.Commit();
    }

    /// <summary>
    /// Makes the partitions of <paramref name="lenses"/> in <paramref name="transaction"/> (the caller holds the creation lock);
    /// <paramref name="temporary"/>: of the integrity check's TEMP <c>mv_winner</c>, whose partitions shadow the stored ones.
    /// </summary>
    public static void Create(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<string> lenses, bool temporary = false)
    {
        foreach (var lens in lenses)
        {
            using var command = PgCommands.Create(connection, transaction, temporary
                ? $"CREATE TEMP TABLE {Name(lens)} PARTITION OF pg_temp.mv_winner FOR VALUES IN ({PgReadSql.Literal(lens)})"
                : $"CREATE TABLE IF NOT EXISTS {Name(lens)} PARTITION OF mv_winner FOR VALUES IN ({PgReadSql.Literal(lens)})");
            command.ExecuteNonQuery();
        }
    }

    // The lenses whose partition mv_winner does not have (by the partitions' names: Name is the only one a lens gets).
    private static List<string> Missing(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<string> lenses)
    {
        using var command = PgCommands.Create(connection, transaction,
            "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'mv_winner'::regclass");
        var names = new HashSet<string>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
            while (reader.Read()) names.Add(reader.GetString(0));
        return [.. lenses.Where(lens => !names.Contains(Name(lens)))];
    }

    /// <summary>The lenses of the rows in <paramref name="table"/> (an older schema's table being copied into <c>mv_winner</c>).</summary>
    public static List<string> LensesIn(NpgsqlConnection connection, NpgsqlTransaction transaction, string table)
    {
        using var command = PgCommands.Create(connection, transaction, $"SELECT DISTINCT lens FROM {table}");
        using var reader = command.ExecuteReader();
        var lenses = new List<string>();
        while (reader.Read()) lenses.Add(reader.GetString(0));
        return lenses;
    }
}
