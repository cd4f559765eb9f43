using System.Globalization;
using Microsoft.Data.Sqlite;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The ingested and materialized watermarks in the <c>meta</c> table, written in the same SQLite
/// transaction as the rows they cover, so after a crash they say exactly what is applied.
/// </summary>
internal sealed class WatermarkTable : IDisposable
{
    public const string IngestedKey = "ingested_lsn";
    public const string MaterializedKey = "materialized_lsn";

    /// <summary>
    /// The newest LSN known durable when the store last ingested or opened: the journal must reach at least
    /// this far, or acknowledged writes are missing.
    /// </summary>
    public const string DurableKey = "durable_lsn";

    private readonly PreparedSql _get;
    private readonly PreparedSql _set;

    public WatermarkTable(SqliteConnection connection)
    {
        _get = new PreparedSql(connection, "SELECT value FROM meta WHERE key = $key", "key");
        _set = new PreparedSql(connection,
            "INSERT INTO meta(key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value", "key", "value");
    }

    public long Get(string key) =>
        _get.Scalar(key) is string text ? long.Parse(text, CultureInfo.InvariantCulture) : 0;

    public void Set(string key, long lsn) => _set.Execute(key, lsn.ToString(CultureInfo.InvariantCulture));

    public void Dispose()
    {
        _get.Dispose();
        _set.Dispose();
    }
}
