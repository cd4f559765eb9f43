using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

/// <summary>The column lists of reads and the mapping of their rows to stored records.</summary>
internal static class RowMapper
{
    /// <summary>The assertion columns, in the order <see cref="Assertion"/> reads them, from alias <c>a</c>.</summary>
    public const string AssertionColumns =
        "a.lsn, a.hash, a.subject, a.predicate, a.object_type, a.object, a.epoch, a.agent, a.confidence, a.lineage, a.asserted_at";

    /// <summary>How many columns <see cref="AssertionColumns"/> has (view columns follow them).</summary>
    public const int AssertionColumnCount = 11;

    /// <summary>The vote columns, in the order <see cref="Vote"/> reads them, from alias <c>v</c>.</summary>
    public const string VoteColumns = "v.assertion, v.agent, v.weight, v.lsn, v.voted_at";

    /// <summary>Reads an assertion row, checking that it still matches its hash.</summary>
    public static StoredAssertion Assertion(SqliteDataReader reader)
    {
        long lsn = reader.GetInt64(0);
        var stored = ContentHash.FromBytes(reader.GetFieldValue<byte[]>(1));
        var assertion = new Assertion(
            reader.GetString(2), reader.GetString(3),
            ValueCodec.FromColumn(reader, 5, (ObjectType)reader.GetInt64(4)),
            reader.GetString(6), reader.GetString(7),
            ValueCodec.LineageFromColumn(reader, 9), reader.GetDouble(8));
        // The hash is recomputed from the columns: a mismatch means the file was damaged or edited.
        if (assertion.Hash != stored)
        {
            throw new StemeException(StemeErrorCode.StorageFailure,
                $"The assertion at LSN {lsn} no longer matches its hash {stored}: the store file is damaged; restore the data folder from a backup.");
        }
        return new StoredAssertion(assertion, lsn, Time(reader.GetInt64(10)));
    }

    /// <summary>Reads a vote row.</summary>
    public static StoredVote Vote(SqliteDataReader reader) => new(
        ContentHash.FromBytes(reader.GetFieldValue<byte[]>(0)), reader.GetString(1), reader.GetDouble(2),
        reader.GetInt64(3), Time(reader.GetInt64(4)));

    /// <summary>Reads a view row: the winner's assertion columns, then value support, set total and candidates.</summary>
    public static ViewRow View(SqliteDataReader reader) => new(
        Assertion(reader),
        reader.GetInt64(AssertionColumnCount),
        reader.GetInt64(AssertionColumnCount + 1),
        checked((int)reader.GetInt64(AssertionColumnCount + 2)));

    /// <summary>Stored times are UTC ticks.</summary>
    public static DateTime Time(long ticks) => new(ticks, DateTimeKind.Utc);
}
