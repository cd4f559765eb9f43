namespace StemeQL.Linq;

/// <summary>
/// Thin write helpers beside the LINQ queries: each is one <c>ASSERT</c> or <c>VOTE</c> command with
/// parameters, run in the connection's transaction if one is in progress.
/// </summary>
public static class StemeWriteExtensions
{
    /// <summary><c>ASSERT (subject, predicate, value) [IN EPOCH epoch] [WITH CONFIDENCE confidence]</c>; returns the assertion's hash.</summary>
    public static string Assert(this StemeConnection connection, string subject, string predicate, object value, string? epoch = null, double? confidence = null)
    {
        using var command = AssertCommand(connection, subject, predicate, value, epoch, confidence);
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>Asynchronous <see cref="Assert"/>.</summary>
    public static async Task<string> AssertAsync(this StemeConnection connection, string subject, string predicate, object value,
        string? epoch = null, double? confidence = null, CancellationToken cancellationToken = default)
    {
        await using var command = AssertCommand(connection, subject, predicate, value, epoch, confidence);
        return (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary><c>VOTE hash WEIGHT weight</c>: the connection's agent's confidence in [0, 1] that the assertion is true.</summary>
    public static void Vote(this StemeConnection connection, string hash, double weight = 1.0)
    {
        using var command = VoteCommand(connection, hash, weight);
        command.ExecuteNonQuery();
    }

    /// <summary>Asynchronous <see cref="Vote"/>.</summary>
    public static async Task VoteAsync(this StemeConnection connection, string hash, double weight = 1.0, CancellationToken cancellationToken = default)
    {
        await using var command = VoteCommand(connection, hash, weight);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static StemeCommand AssertCommand(StemeConnection connection, string subject, string predicate, object value, string? epoch, double? confidence)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.CommandText = "ASSERT (@s, @p, @o)" + (epoch is null ? "" : " IN EPOCH @e") + (confidence is null ? "" : " WITH CONFIDENCE @c");
        command.Parameters.AddWithValue("s", subject);
        command.Parameters.AddWithValue("p", predicate);
        command.Parameters.AddWithValue("o", value);
        if (epoch is not null) command.Parameters.AddWithValue("e", epoch);
        if (confidence is not null) command.Parameters.AddWithValue("c", confidence.Value);
        return command;
    }

    private static StemeCommand VoteCommand(StemeConnection connection, string hash, double weight)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.CommandText = "VOTE @h WEIGHT @w";
        command.Parameters.AddWithValue("h", hash);
        command.Parameters.AddWithValue("w", weight);
        return command;
    }
}
