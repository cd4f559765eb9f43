using System.Data;

namespace StemeQL.Internal;

/// <summary>The misuse checks <see cref="StemeCommand"/> and <see cref="StemeBatch"/> share, with the same messages.</summary>
internal static class ExecutionChecks
{
    /// <summary>The connection, which must be set and open.</summary>
    /// <param name="connection">The command's or batch's connection.</param>
    /// <param name="what">"command" or "batch".</param>
    /// <param name="factory">How to create one on a connection, e.g. "connection.CreateCommand()".</param>
    public static StemeConnection OpenConnection(StemeConnection? connection, string what, string factory)
    {
        if (connection is null)
            throw new InvalidOperationException($"The {what} has no connection: set Connection or create it with {factory}.");
        if (connection.State != ConnectionState.Open)
            throw new InvalidOperationException($"The {what}'s connection is not open: call Open() first.");
        return connection;
    }

    /// <summary>Throws unless <paramref name="transaction"/> is the connection's transaction in progress (or both are none).</summary>
    public static void Transaction(StemeConnection connection, StemeTransaction? transaction, string what)
    {
        if (connection.Transaction is { } open && transaction != open)
            throw new InvalidOperationException($"The connection has a transaction in progress: set the {what}'s Transaction to it.");
        if (transaction is not null && transaction.Connection != connection)
            throw new InvalidOperationException($"The {what}'s transaction is finished or belongs to another connection.");
    }
}
