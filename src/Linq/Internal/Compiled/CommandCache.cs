namespace StemeQL.Linq;

/// <summary>
/// The command a compiled query last ran, kept idle for its next execution: on the same connection with the
/// same translation only the parameter values change, so the command skips the plan cache's lookup (its
/// prepared statements are reused) and nothing is allocated for it. One caller at a time takes it; a
/// concurrent or nested execution makes a command of its own.
/// </summary>
internal sealed class CommandCache
{
    private StemeCommand? _idle;

    /// <summary>A command for <paramref name="query"/> on <paramref name="connection"/>: the idle one when it fits, else a new one.</summary>
    public StemeCommand Take(TranslatedQuery query, StemeConnection connection)
    {
        var command = Interlocked.Exchange(ref _idle, null);
        // The same text is the same translation, so the parameters have the same names in the same order.
        if (command is null || command.Connection != connection || !ReferenceEquals(command.CommandText, query.Text))
        {
            command?.Dispose();
            return query.CreateCommand(connection);
        }
        command.Transaction = connection.Transaction;
        for (int i = 0; i < query.Parameters.Count; i++) command.Parameters[i].Value = query.Parameters[i].Value;
        return command;
    }

    /// <summary>Keeps <paramref name="command"/> for the next execution (its reader is closed).</summary>
    public void Return(StemeCommand command) => Interlocked.Exchange(ref _idle, command)?.Dispose();
}
