using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

/// <summary>The column lists of reads and the mapping of their rows to stored records.</summary>
internal static class RowMapper
{
    /// <summary>The assertion columns, in the order <see cref="Assertion{TRow}(TRow)"/> reads them, from alias <c>a</c>.</summary>
    public const string AssertionColumns = LedgerColumns.Assertion;

    /// <summary>How many columns <see cref="AssertionColumns"/> has (view columns follow them).</summary>
    public const int AssertionColumnCount = LedgerColumns.AssertionCount;

    /// <summary>
    /// The vote columns, in the order <see cref="Vote{TRow}(TRow, AssertionFields)"/> reads them, from alias <c>v</c> and its
    /// target assertion <c>a</c> (joined by LSN, for the hash).
    /// </summary>
    public const string VoteColumns = "a.hash, v.agent, v.weight, v.lsn, v.voted_at";

    /// <summary>
    /// Reads an assertion row with the hash stored beside it. The hash is not computed again: it was
    /// checked when the row was ingested, and <see cref="IntegrityCheck"/> verifies every row on demand,
    /// so one damaged row costs nothing to the reads that do not touch it. A row that cannot even be
    /// decoded is an <see cref="StemeErrorCode.IntegrityError"/> naming its LSN and hash.
    /// </summary>
    public static StoredAssertion Assertion<TRow>(TRow reader) where TRow : IStoredColumns => Assertion(reader, AssertionFields.All);

    /// <summary>
    /// Reads the <paramref name="fields"/> of an assertion row (and always its object, confidence and LSN),
    /// leaving the rest empty: the columns are in the row either way, but decoding text costs.
    /// </summary>
    public static StoredAssertion Assertion<TRow>(TRow reader, AssertionFields fields) where TRow : IStoredColumns
    {
        long lsn = reader.GetInt64(0);
        var stored = (fields & AssertionFields.Hash) != 0 ? StoredHash(reader, lsn) : default;
        try
        {
            var assertion = Core.Model.Assertion.FromStorage(
                Text(reader, 2, fields, AssertionFields.Subject), Text(reader, 3, fields, AssertionFields.Predicate),
                ValueCodec.FromColumn(reader, 5, (ObjectType)reader.GetInt64(4)),
                Text(reader, 6, fields, AssertionFields.Epoch), Text(reader, 7, fields, AssertionFields.Agent),
                (fields & AssertionFields.Lineage) != 0 ? ValueCodec.LineageFromColumn(reader, 9) : null, reader.GetDouble(8), stored);
            return new StoredAssertion(assertion, lsn, (fields & AssertionFields.AssertedAt) != 0 ? Time(reader.GetInt64(10)) : default);
        }
        catch (Exception error) when (error is InvalidCastException or InvalidOperationException or ArgumentException or StemeException or FormatException or OverflowException)
        {
            throw Unreadable(lsn, (fields & AssertionFields.Hash) != 0 ? stored.ToString() : "not read", error);
        }
    }

    private static string Text<TRow>(TRow reader, int ordinal, AssertionFields fields, AssertionFields field) where TRow : IStoredColumns =>
        (fields & field) != 0 ? reader.GetString(ordinal) : "";

    /// <summary>The error for an assertion row that cannot be decoded.</summary>
    public static StemeException Unreadable(long lsn, string hash, Exception error) => new(StemeErrorCode.IntegrityError,
        $"The assertion at LSN {lsn} (hash {hash}) is damaged in the store and cannot be read ({error.Message}): " +
        "query around it (pin another subject or LSN range), run 'steme check' on the data folder, and restore it from a backup.", error);

    /// <summary>The hash stored in an assertion row (column 1), or an <see cref="StemeErrorCode.IntegrityError"/> when it is not 32 bytes.</summary>
    public static ContentHash StoredHash<TRow>(TRow reader, long lsn) where TRow : IStoredColumns
    {
        var bytes = reader.GetSpan(1);
        if (bytes.Length != ContentHash.Size)
            throw Unreadable(lsn, "unreadable", new FormatException($"the stored hash is {bytes.Length} bytes, not {ContentHash.Size}"));
        return ContentHash.FromBytes(bytes);
    }

    /// <summary>Reads a vote row (votes have no optional parts: <paramref name="fields"/> is ignored).</summary>
    public static StoredVote Vote<TRow>(TRow reader, AssertionFields fields) where TRow : IStoredColumns
    {
        try
        {
            return new(ContentHash.FromBytes(reader.GetSpan(0)), reader.GetString(1), reader.GetDouble(2),
                reader.GetInt64(3), Time(reader.GetInt64(4)));
        }
        catch (Exception error) when (error is InvalidCastException or InvalidOperationException or ArgumentException)
        {
            throw new StemeException(StemeErrorCode.IntegrityError,
                $"The vote at LSN {reader.GetInt64(3)} is damaged in the store and cannot be read ({error.Message}): " +
                "run 'steme check' on the data folder, and restore it from a backup.", error);
        }
    }

    /// <summary>Reads a view row: the winner's assertion columns, then value support, set total and candidates.</summary>
    public static ViewRow View<TRow>(TRow reader, AssertionFields fields) where TRow : IStoredColumns => new(
        Assertion(reader, fields),
        reader.GetInt64(AssertionColumnCount),
        reader.GetInt64(AssertionColumnCount + 1),
        checked((int)reader.GetInt64(AssertionColumnCount + 2)));

    /// <summary>Stored times are UTC ticks.</summary>
    public static DateTime Time(long ticks) => new(ticks, DateTimeKind.Utc);
}
