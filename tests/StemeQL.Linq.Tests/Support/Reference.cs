namespace StemeQL.Linq.Tests.Support;

/// <summary>Rows read back with plain StemeQL commands, without the LINQ provider, as the reference data.</summary>
public static class Reference
{
    /// <summary>Every row of <c>SELECT * FROM assertions {clauses}</c>.</summary>
    public static List<AssertionRow> Assertions(StemeConnection connection, string clauses)
    {
        using var command = new StemeCommand(
            "SELECT hash, subject, predicate, object, object_type, epoch, agent, asserted_at, lsn, confidence, support, candidates FROM assertions " + clauses,
            connection);
        using var reader = command.ExecuteReader();
        var rows = new List<AssertionRow>();
        while (reader.Read())
        {
            rows.Add(new AssertionRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetValue(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetDateTime(7), reader.GetInt64(8),
                reader.IsDBNull(9) ? null : reader.GetDouble(9), reader.IsDBNull(10) ? null : reader.GetDouble(10),
                reader.IsDBNull(11) ? null : reader.GetInt64(11)));
        }
        return rows;
    }

    /// <summary>Every row of <c>SELECT * FROM agents</c>.</summary>
    public static List<AgentRow> Agents(StemeConnection connection)
    {
        using var command = new StemeCommand("SELECT agent, assertions, votes, first_lsn, last_lsn FROM agents", connection);
        using var reader = command.ExecuteReader();
        var rows = new List<AgentRow>();
        while (reader.Read()) rows.Add(new AgentRow(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        return rows;
    }

    /// <summary>Every row of <c>SELECT * FROM votes</c>.</summary>
    public static List<VoteRow> Votes(StemeConnection connection)
    {
        using var command = new StemeCommand("SELECT assertion, agent, weight, voted_at, lsn FROM votes", connection);
        using var reader = command.ExecuteReader();
        var rows = new List<VoteRow>();
        while (reader.Read()) rows.Add(new VoteRow(reader.GetString(0), reader.GetString(1), reader.GetDouble(2), reader.GetDateTime(3), reader.GetInt64(4)));
        return rows;
    }
}
