namespace StemeQL.Tests.Bulk;

/// <summary>Reads back what the bulk tests wrote.</summary>
internal static class Rows
{
    /// <summary>The number of rows <paramref name="query"/> returns.</summary>
    public static long Count(StemeConnection connection, string query)
    {
        using var command = new StemeCommand(query, connection);
        using var reader = command.ExecuteReader();
        long count = 0;
        while (reader.Read()) count++;
        return count;
    }

    /// <summary>The assertions stored.</summary>
    public static long Assertions(StemeConnection connection) => Count(connection, "SELECT hash FROM assertions");

    /// <summary>The votes stored.</summary>
    public static long Votes(StemeConnection connection) => Count(connection, "SELECT lsn FROM votes");

    /// <summary>Asserts one claim and returns its hash.</summary>
    public static string Assert(StemeConnection connection, string subject = "s", string predicate = "p", string @object = "o")
    {
        using var command = new StemeCommand("ASSERT (@s, @p, @o)", connection);
        command.Parameters.AddWithValue("s", subject);
        command.Parameters.AddWithValue("p", predicate);
        command.Parameters.AddWithValue("o", @object);
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>A well-formed hash that names no assertion.</summary>
    public const string UnknownHash = "00000000000000000000000000000000000000000000000000000000000000ff";
}
