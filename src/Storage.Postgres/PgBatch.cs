using Npgsql;
using NpgsqlTypes;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// Statements sent together as one <see cref="NpgsqlBatch"/>: one round trip, run by the server in order (each sees
/// the ones before it), each prepared by Npgsql's automatic preparation like a single command. A statement that
/// returns rows names the step that reads them; its results are read in the order the statements were added.
/// A failing statement skips the rest and aborts the transaction, so the batch is all or nothing with it.
/// </summary>
internal sealed class PgBatch(NpgsqlConnection connection, NpgsqlTransaction? transaction)
{
    private readonly List<(NpgsqlBatchCommand Command, Action<NpgsqlDataReader>? Read)> _statements = [];

    /// <summary>How many statements are waiting to be sent.</summary>
    public int Count => _statements.Count;

    /// <summary>Adds a statement with typed positional parameters; <paramref name="read"/>, if given, is called per row it returns.</summary>
    public void Add(string sql, Action<NpgsqlDataReader>? read, params ReadOnlySpan<(NpgsqlDbType Type, object? Value)> parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (type, value) in parameters) command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value ?? DBNull.Value });
        _statements.Add((command, read));
    }

    /// <summary>Sends every statement added so far in one round trip and reads their rows; the batch is empty afterwards.</summary>
    public void Execute()
    {
        if (_statements.Count == 0) return;
        using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (command, _) in _statements) batch.BatchCommands.Add(command);
        var reads = _statements.Where(s => s.Read is not null).Select(s => s.Read!).ToArray();
        _statements.Clear();
        if (reads.Length == 0)
        {
            batch.ExecuteNonQuery();
            return;
        }
        using var reader = batch.ExecuteReader();
        int i = 0;
        do
        {
            if (i < reads.Length)
                while (reader.Read()) reads[i](reader);
            i++;
        }
        while (reader.NextResult());
    }
}
