using Npgsql;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Postgres;

/// <summary>Maps rows of <see cref="PgReadSql"/>'s column lists to stored records.</summary>
internal static class PgRows
{
    /// <summary>How many columns <see cref="PgReadSql.AssertionColumns"/> has (view columns follow them).</summary>
    public const int AssertionColumnCount = LedgerColumns.AssertionCount;

    /// <summary>Reads an assertion row with the hash stored beside it (checked by the integrity check, not on every read).</summary>
    public static StoredAssertion Assertion(NpgsqlDataReader reader) => Assertion(reader, AssertionFields.All);

    /// <summary>
    /// Reads the <paramref name="fields"/> of an assertion row (and always its object, confidence and LSN),
    /// leaving the others empty, as every store does: decoding what the caller does not read costs.
    /// </summary>
    public static StoredAssertion Assertion(NpgsqlDataReader reader, AssertionFields fields)
    {
        long lsn = reader.GetInt64(0);
        try
        {
            var assertion = Core.Model.Assertion.FromStorage(
                Text(reader, 2, fields, AssertionFields.Subject), Text(reader, 3, fields, AssertionFields.Predicate),
                PgValueCodec.FromColumn(reader.GetInt16(4), reader.GetFieldValue<byte[]>(5)),
                Text(reader, 6, fields, AssertionFields.Epoch), Text(reader, 7, fields, AssertionFields.Agent),
                (fields & AssertionFields.Lineage) != 0 ? PgValueCodec.LineageFromColumn(reader.IsDBNull(9) ? null : reader.GetFieldValue<byte[]>(9)) : null,
                reader.GetDouble(8), (fields & AssertionFields.Hash) != 0 ? ContentHash.FromBytes(reader.GetFieldValue<byte[]>(1)) : default);
            return new StoredAssertion(assertion, lsn, (fields & AssertionFields.AssertedAt) != 0 ? Time(reader.GetInt64(10)) : default);
        }
        catch (Exception error) when (error is InvalidCastException or ArgumentException or FormatException or IndexOutOfRangeException)
        {
            throw new StemeException(StemeErrorCode.IntegrityError,
                $"The assertion at LSN {lsn} is damaged in the store and cannot be read ({error.Message}): query around it, check the store (CheckIntegrity) and restore the database from a backup.", error);
        }
    }

    /// <summary>Reads a vote row (votes have no optional parts: <paramref name="fields"/> is ignored).</summary>
    public static StoredVote Vote(NpgsqlDataReader reader, AssertionFields fields) => new(ContentHash.FromBytes(reader.GetFieldValue<byte[]>(0)),
        Text(reader, 1), reader.GetDouble(2), reader.GetInt64(3), Time(reader.GetInt64(4)));

    /// <summary>Reads a view row: the winner's assertion columns, then value support, set total and candidates (0 unless <paramref name="fields"/> has the tallies).</summary>
    public static ViewRow View(NpgsqlDataReader reader, AssertionFields fields) => (fields & AssertionFields.Tallies) == 0
        ? new(Assertion(reader, fields), 0, 0, 0)
        : new(Assertion(reader, fields), reader.GetInt64(AssertionColumnCount), reader.GetInt64(AssertionColumnCount + 1),
            checked((int)reader.GetInt64(AssertionColumnCount + 2)));

    /// <summary>Stored times are UTC ticks.</summary>
    public static DateTime Time(long ticks) => new(ticks, DateTimeKind.Utc);

    private static string Text(NpgsqlDataReader reader, int ordinal) => PgText.FromColumn(reader.GetFieldValue<byte[]>(ordinal));

    private static string Text(NpgsqlDataReader reader, int ordinal, AssertionFields fields, AssertionFields field) =>
        (fields & field) != 0 ? Text(reader, ordinal) : "";
}
