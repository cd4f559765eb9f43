using Npgsql;
using StemeQL.Core.Lenses;
using static StemeQL.Storage.Postgres.PgCommands;

namespace StemeQL.Storage.Postgres;

/// <summary>The PostgreSQL side of <see cref="ILensStateStore"/>: <c>lens_state</c> rows keyed by (lens, subject, predicate), on the write's transaction.</summary>
internal sealed class PgLensStates(NpgsqlConnection connection, NpgsqlTransaction transaction) : ILensStateStore
{
    /// <inheritdoc />
    public LensState? Read(string lens, SetKey set)
    {
        using var command = Create(connection, transaction,
            "SELECT winner_lsn, tally, data FROM lens_state WHERE lens = $1 AND subject = $2 AND predicate = $3",
            Text(lens), Bytes(PgText.Key(set.Subject)), Bytes(PgText.Key(set.Predicate)));
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        return new LensState(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2));
    }

    /// <inheritdoc />
    public void Write(string lens, SetKey set, LensState state)
    {
        using var command = Create(connection, transaction, """
            INSERT INTO lens_state(lens, subject, predicate, winner_lsn, tally, data) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (lens, subject, predicate) DO UPDATE SET winner_lsn = excluded.winner_lsn, tally = excluded.tally, data = excluded.data
            """, Text(lens), Bytes(PgText.Key(set.Subject)), Bytes(PgText.Key(set.Predicate)),
            Long(state.WinnerLsn), Long(state.Tally), Bytes(state.Data));
        command.ExecuteNonQuery();
    }
}
