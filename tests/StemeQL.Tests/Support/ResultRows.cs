using System.Globalization;

namespace StemeQL.Tests.Support;

/// <summary>Query results as comparable text, for tests that check two plans return the same rows.</summary>
internal static class ResultRows
{
    /// <summary>Each row as "value:Type|value:Type|…", so a value of another type never compares equal.</summary>
    public static List<string> Of(StemeConnection connection, string sql)
    {
        using var command = new StemeCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i =>
                Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) + ":" + reader.GetValue(i).GetType().Name)));
        }
        return rows;
    }
}
