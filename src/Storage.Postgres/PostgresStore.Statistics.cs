using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Postgres;

public sealed partial class PostgresStore
{
    private const string StatisticsSql = """
        SELECT (SELECT count(*) FROM assertions), (SELECT count(*) FROM votes), (SELECT last_lsn FROM stemeql_clock WHERE id = 1),
               (SELECT count(*) FROM mv_set), (SELECT count(DISTINCT subject) FROM mv_set), (SELECT count(DISTINCT predicate) FROM mv_set),
               (SELECT count(DISTINCT agent) FROM assertions)
        """;

    /// <inheritdoc />
    /// <remarks>Counted exactly on each read (several scans): a planner on a large store should cache it.</remarks>
    public StoreStatistics Statistics
    {
        get
        {
            using var connection = OpenConnection("reading statistics");
            return Run("reading statistics", () =>
            {
                using var command = PgCommands.Create(connection, null, StatisticsSql);
                long[] n;
                using (var reader = command.ExecuteReader())
                {
                    reader.Read();
                    n = [.. Enumerable.Range(0, 7).Select(reader.GetInt64)];
                }
                var rows = _lensNames.ToDictionary(name => name, _ => 0L, StringComparer.Ordinal);
                command.CommandText = "SELECT lens, count(*) FROM lens_state GROUP BY lens";
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read()) if (rows.ContainsKey(reader.GetString(0))) rows[reader.GetString(0)] = reader.GetInt64(1);
                }
                return new StoreStatistics(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[2], rows);
            });
        }
    }
}
