using Npgsql;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Postgres;

/// <summary>Maps rows of <see cref="PgReadSql"/>'s column lists to stored records.</summary>
internal static class PgRows
{
    /// <summary>
    /// The assertion columns a read of <paramref name="fields"/> selects, in <see cref="LedgerColumns.Assertion"/>'s order, from
    /// alias <c>a</c>: the LSN, object and confidence always, the other parts only when asked for (no NULL in their place: each
    /// column of the select list costs the server an expression to set up per execution), then a view row's tallies when
    /// asked for. <see cref="Assertion(NpgsqlDataReader, AssertionFields)"/> and <see cref="View"/> read the same list.
    /// </summary>
    public static string Columns(AssertionFields fields, bool view)
    {
        var columns = new List<string> { "a.lsn" };
        void Optional(AssertionFields part, string column)
        {
            if ((fields & part) != 0) columns.Add(column);
        }
        Optional(AssertionFields.Hash, "a.hash");
        Optional(AssertionFields.Subject, "a.subject");
        Optional(AssertionFields.Predicate, "a.predicate");
        columns.Add("a.object_type, a.object");
        Optional(AssertionFields.Epoch, "a.epoch");
        Optional(AssertionFields.Agent, "a.agent");
        columns.Add("a.confidence");
        Optional(AssertionFields.Lineage, "a.lineage");
        Optional(AssertionFields.AssertedAt, "a.asserted_at");
        if (view) Optional(AssertionFields.Tallies, "a.support_units, a.total_units, a.candidates");
        return string.Join(", ", columns);
    }

    /// <summary>Reads an assertion row with the hash stored beside it (checked by the integrity check, not on every read).</summary>
    public static StoredAssertion Assertion(NpgsqlDataReader reader) => Assertion(reader, AssertionFields.All);

    /// <summary>
    /// Reads the <paramref name="fields"/> of an assertion row selected by <see cref="Columns"/> (and always its object,
    /// confidence and LSN), leaving the others empty, as every store does: decoding what the caller does not read costs.
    /// </summary>
    public static StoredAssertion Assertion(NpgsqlDataReader reader, AssertionFields fields) =>
        Checked(reader, fields, static (values, _, _, _) => values.ToStoredAssertion());

    /// <summary>Reads a vote row (votes have no optional parts: <paramref name="fields"/> is ignored).</summary>
    public static StoredVote Vote(NpgsqlDataReader reader, AssertionFields fields) => new(ContentHash.FromBytes(reader.GetFieldValue<byte[]>(0)),
        Text(reader, 1), reader.GetDouble(2), reader.GetInt64(3), Time(reader.GetInt64(4)));

    /// <summary>Reads a view row: the winner's assertion columns, then value support, set total and candidates (0 unless <paramref name="fields"/> has the tallies).</summary>
    public static ViewRow View(NpgsqlDataReader reader, AssertionFields fields) =>
        Checked(reader, fields, static (values, reader, fields, next) => WithTallies(values, reader, fields, next).ToViewRow());

    /// <summary><see cref="View"/>'s row as values, without the records (a one-set lookup fills the reader's row from them).</summary>
    public static ViewRowValues ViewValues(NpgsqlDataReader reader, AssertionFields fields) => Checked(reader, fields, WithTallies);

    // A view row's tallies follow the winner's columns, at next (selected only when asked for).
    private static ViewRowValues WithTallies(ViewRowValues values, NpgsqlDataReader reader, AssertionFields fields, int next) =>
        (fields & AssertionFields.Tallies) == 0
            ? values
            : values with
            {
                SupportUnits = reader.GetInt64(next), TotalUnits = reader.GetInt64(next + 1), Candidates = checked((int)reader.GetInt64(next + 2)),
            };

    // Reads the assertion's columns from the first on, then `finish` (with the ordinal after them) makes the result; a row that
    // cannot be read or made is reported as damaged.
    private static T Checked<T>(NpgsqlDataReader reader, AssertionFields fields, Func<ViewRowValues, NpgsqlDataReader, AssertionFields, int, T> finish)
    {
        int next = 0;
        long lsn = reader.GetInt64(next++);
        try
        {
            var hash = (fields & AssertionFields.Hash) != 0 ? ContentHash.FromBytes(reader.GetFieldValue<byte[]>(next++)) : default;
            string subject = Text(reader, ref next, fields, AssertionFields.Subject);
            string predicate = Text(reader, ref next, fields, AssertionFields.Predicate);
            var value = PgValueCodec.FromColumn(reader.GetInt16(next), reader.GetFieldValue<byte[]>(next + 1));
            next += 2;
            string epoch = Text(reader, ref next, fields, AssertionFields.Epoch);
            string agent = Text(reader, ref next, fields, AssertionFields.Agent);
            double confidence = reader.GetDouble(next++);
            var lineage = (fields & AssertionFields.Lineage) != 0
                ? PgValueCodec.LineageFromColumn(reader.IsDBNull(next) ? null : reader.GetFieldValue<byte[]>(next))
                : null;
            if ((fields & AssertionFields.Lineage) != 0) next++;
            var at = (fields & AssertionFields.AssertedAt) != 0 ? Time(reader.GetInt64(next++)) : default;
            return finish(new(lsn, hash, subject, predicate, value, epoch, agent, confidence, lineage, at, 0, 0, 0), reader, fields, next);
        }
        catch (Exception error) when (error is InvalidCastException or ArgumentException or FormatException or IndexOutOfRangeException or OverflowException)
        {
            throw new StemeException(StemeErrorCode.IntegrityError,
                $"The assertion at LSN {lsn} is damaged in the store and cannot be read ({error.Message}): query around it, check the store (CheckIntegrity) and restore the database from a backup.", error);
        }
    }

    /// <summary>Stored times are UTC ticks.</summary>
    public static DateTime Time(long ticks) => new(ticks, DateTimeKind.Utc);

    private static string Text(NpgsqlDataReader reader, int ordinal) => PgText.FromColumn(reader.GetFieldValue<byte[]>(ordinal));

    // The text of an optional part, read at next (and next moved on) when selected.
    private static string Text(NpgsqlDataReader reader, ref int next, AssertionFields fields, AssertionFields field) =>
        (fields & field) != 0 ? Text(reader, next++) : "";
}
