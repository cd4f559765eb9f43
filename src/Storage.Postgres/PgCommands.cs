using Npgsql;
using NpgsqlTypes;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// Builds commands with typed positional parameters (<c>$1</c>, <c>$2</c>, ...). Statements are prepared
/// by Npgsql's automatic preparation (the data source sets <c>Max Auto Prepare</c>), so a repeated text
/// is parsed and planned once per physical connection.
/// </summary>
internal static class PgCommands
{
    /// <summary>A command of <paramref name="sql"/> with the given parameters, on the connection (and transaction, if any).</summary>
    public static NpgsqlCommand Create(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        params ReadOnlySpan<(NpgsqlDbType Type, object? Value)> parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (type, value) in parameters) command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value ?? DBNull.Value });
        return command;
    }

    /// <summary>A bytea parameter.</summary>
    public static (NpgsqlDbType, object?) Bytes(byte[]? value) => (NpgsqlDbType.Bytea, value);

    /// <summary>A bigint parameter.</summary>
    public static (NpgsqlDbType, object?) Long(long value) => (NpgsqlDbType.Bigint, value);

    /// <summary>A text parameter.</summary>
    public static (NpgsqlDbType, object?) Text(string value) => (NpgsqlDbType.Text, value);

    /// <summary>A bigint[] parameter.</summary>
    public static (NpgsqlDbType, object?) Longs(IEnumerable<long> values) => (NpgsqlDbType.Array | NpgsqlDbType.Bigint, values.ToArray());

    /// <summary>A bytea[] parameter.</summary>
    public static (NpgsqlDbType, object?) BytesArray(byte[][] values) => (NpgsqlDbType.Array | NpgsqlDbType.Bytea, values);
}
