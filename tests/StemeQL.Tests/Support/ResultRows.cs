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

    /// <summary>Each row's values as the reader gives them.</summary>
    public static List<object[]> Values(StemeConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = new StemeCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Each row's values as "value:Type" (bytes by content, times with their kind), so values of different types never compare equal.</summary>
    public static List<string[]> Cells(StemeConnection connection, string sql, params (string Name, object Value)[] parameters) =>
        Values(connection, sql, parameters).ConvertAll(row => Array.ConvertAll(row, Cell));

    private static string Cell(object value) => value switch
    {
        byte[] bytes => Convert.ToHexString(bytes) + ":Byte[]",
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture) + ":" + time.Kind,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) + ":" + value.GetType().Name,
    };
}
