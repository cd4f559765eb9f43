namespace StemeQL.Fuzz;

/// <summary>Runs one input on a connection, the way its <see cref="ExecutionMode"/> says, and names the outcome.</summary>
internal static class FuzzTarget
{
    /// <summary>The seconds each execution may take before it is a <see cref="StemeErrorCode.Timeout"/>.</summary>
    public const int CommandTimeoutSeconds = 5;

    /// <summary>"ok", a <see cref="StemeErrorCode"/> name, "misuse:…" for a documented misuse, or null with the escaped exception.</summary>
    public static (string? Outcome, Exception? Escaped) Run(FuzzInput input, StemeConnection connection, Random random)
    {
        try
        {
            Execute(input, connection, random);
            return ("ok", null);
        }
        catch (StemeException e)
        {
            return (e.ErrorCode.ToString(), null);
        }
        catch (InvalidOperationException e) when (string.IsNullOrWhiteSpace(input.Text) || e.Message.Contains("CommandText", StringComparison.Ordinal))
        {
            // Documented misuse: executing empty CommandText (a mutation can cut a statement to nothing).
            return ("misuse:EmptyCommandText", null);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("has no Value (null)", StringComparison.Ordinal))
        {
            // Documented misuse: a parameter whose Value is null rather than DBNull.Value, used by a statement.
            return ("misuse:NullParameterValue", null);
        }
        catch (NotSupportedException e) when (e.Message.StartsWith("Parameter @", StringComparison.Ordinal))
        {
            // Documented misuse: a parameter of a .NET type StemeQL has no type for, used by a statement.
            return ("misuse:UnsupportedParameterType", null);
        }
        catch (Exception e)
        {
            return (null, e);
        }
    }

    private static void Execute(FuzzInput input, StemeConnection connection, Random random)
    {
        switch (input.Mode)
        {
            case ExecutionMode.Batch:
                RunBatch(input, connection);
                return;
            case ExecutionMode.InTransaction:
                using (var transaction = connection.BeginTransaction())
                {
                    try
                    {
                        using var command = Command(input, connection);
                        command.Transaction = transaction;
                        command.ExecuteNonQuery();
                    }
                    finally
                    {
                        transaction.Rollback();
                    }
                }
                return;
        }
        using (var command = Command(input, connection))
        {
            switch (input.Mode)
            {
                case ExecutionMode.NonQuery:
                    command.ExecuteNonQuery();
                    break;
                case ExecutionMode.Scalar:
                    command.ExecuteScalar();
                    break;
                case ExecutionMode.ReadAll:
                    using (var reader = command.ExecuteReader()) ReadAll(reader);
                    break;
                default:
                    using (var reader = command.ExecuteReader())
                    {
                        for (int rows = random.Next(3); rows > 0 && reader.Read(); rows--) Touch(reader);
                        if (random.Next(2) == 0) reader.NextResult();
                    }
                    break;
            }
        }
    }

    private static void RunBatch(FuzzInput input, StemeConnection connection)
    {
        using var batch = connection.CreateBatch();
        batch.Timeout = CommandTimeoutSeconds;
        foreach (string text in input.Text.Split(';'))
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            var command = new StemeBatchCommand(text);
            foreach (var (name, value) in input.Parameters) command.Parameters.AddWithValue(name, value);
            batch.BatchCommands.Add(command);
        }
        if (batch.BatchCommands.Count == 0) batch.BatchCommands.Add(new StemeBatchCommand(input.Text));
        using var reader = batch.ExecuteReader();
        ReadAll(reader);
    }

    private static StemeCommand Command(FuzzInput input, StemeConnection connection)
    {
        var command = new StemeCommand(input.Text, connection) { CommandTimeout = CommandTimeoutSeconds };
        foreach (var (name, value) in input.Parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    private static void ReadAll(StemeDataReader reader)
    {
        do
        {
            while (reader.Read()) Touch(reader);
        }
        while (reader.NextResult());
    }

    // Reading every value the way an application would goes through the reader's conversions too.
    private static void Touch(StemeDataReader reader)
    {
        for (int i = 0; i < reader.FieldCount; i++)
        {
            if (!reader.IsDBNull(i)) _ = reader.GetValue(i);
        }
    }
}
