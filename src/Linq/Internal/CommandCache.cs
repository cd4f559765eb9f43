namespace StemeQL.Linq;

/// <summary>
/// The commands a translation (or a compiled query) last ran, kept idle for its next executions: on the same
/// connection only the parameter values change, so the command skips the plan cache's lookup (its prepared
/// statements are reused) and nothing is allocated for it; on another connection an idle command is moved
/// there rather than a new one made. A few connections keep a command each at once; a caller takes a command
/// for itself, so a concurrent or nested execution finds another or makes its own.
/// </summary>
internal sealed class CommandCache
{
    private const int Slots = 4;
    private readonly StemeCommand?[] _idle = new StemeCommand?[Slots];

    /// <summary>A command for <paramref name="query"/> on <paramref name="connection"/>: an idle one when there is one, else a new one.</summary>
    public StemeCommand Take(TranslatedQuery query, StemeConnection connection)
    {
        var command = TakeIdle(connection, sameConnection: true) ?? TakeIdle(connection, sameConnection: false);
        // The same text is the same translation, so the parameters have the same names in the same order.
        if (command is null || !ReferenceEquals(command.CommandText, query.Text))
        {
            command?.Dispose();
            return query.CreateCommand(connection);
        }
        command.Connection = connection;
        command.Transaction = connection.Transaction;
        for (int i = 0; i < query.Parameters.Count; i++) command.Parameters[i].Value = query.Parameters[i].Value;
        return command;
    }

    /// <summary>Keeps <paramref name="command"/> (its reader is closed) for the next execution, in place of another connection's if all are taken.</summary>
    public void Return(StemeCommand command)
    {
        for (int i = 0; i < Slots; i++)
        {
            if (Interlocked.CompareExchange(ref _idle[i], command, null) is null) return;
        }
        int slot = (command.Connection?.GetHashCode() ?? 0) & (Slots - 1);
        Interlocked.Exchange(ref _idle[slot], command)?.Dispose();
    }

    private StemeCommand? TakeIdle(StemeConnection connection, bool sameConnection)
    {
        for (int i = 0; i < Slots; i++)
        {
            var command = Volatile.Read(ref _idle[i]);
            if (command is not null && (command.Connection == connection) == sameConnection
                && ReferenceEquals(Interlocked.CompareExchange(ref _idle[i], null, command), command))
            {
                return command;
            }
        }
        return null;
    }
}
