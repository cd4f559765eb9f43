using System.Globalization;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.Durability;

/// <summary>
/// Two OS processes write at once to one PostgreSQL database through StemeQL connections: LSNs are
/// totally ordered across them (no gap, no duplicate), and the materialized views equal O(N) lens evaluation.
/// </summary>
public sealed class SharedPostgresWritersTests
{
    private const int WritesPerProcess = 150;

    [Fact]
    public void Two_processes_writing_to_one_database_get_gapless_lsns_and_views_equal_to_the_lens_scan()
    {
        using var database = new PostgresSchemaDatabase();
        // Create the store first, so the children do not race to create it (they would be serialized anyway).
        using (database.Open()) { }
        using var first = ChildProcess.Start("shared-write", database.ConnectionString(), "1", WritesPerProcess.ToString(CultureInfo.InvariantCulture));
        using var second = ChildProcess.Start("shared-write", database.ConnectionString(), "2", WritesPerProcess.ToString(CultureInfo.InvariantCulture));
        Assert.True(first.WaitForExit(TimeSpan.FromMinutes(2)) == 0, first.Describe());
        Assert.True(second.WaitForExit(TimeSpan.FromMinutes(2)) == 0, second.Describe());

        var lsns = first.Lines.Concat(second.Lines).Where(l => l.StartsWith("L ", StringComparison.Ordinal))
            .Select(l => long.Parse(l[2..], CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 2 * WritesPerProcess).Select(i => (long)i), lsns);
        using var connection = database.Open();
        Assert.Equal(2L * WritesPerProcess, Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM assertions"), CultureInfo.InvariantCulture)
            + Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM votes"), CultureInfo.InvariantCulture));
        foreach (var lens in new[] { "consensus", "recency" })
        {
            const string columns = "hash, subject, predicate, object, agent, lsn, confidence, support, candidates";
            var view = ResultRows.Of(connection, $"SELECT {columns} FROM assertions USING LENS {lens} ORDER BY subject");
            var scan = ResultRows.Of(connection, $"SELECT {columns} FROM assertions USING LENS {lens} AS OF LSN 9223372036854775807 ORDER BY subject");
            Assert.Equal(3, view.Count);
            Assert.Equal(scan, view);
        }
    }

    private static object? Scalar(StemeConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
