using Npgsql;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Postgres;
using StemeQL.Storage.Tests.Backends;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>
/// A PostgreSQL write plans its statements as index lookups: its generic plans are made once per connection, often
/// while the tables are empty, and a plan that scanned whole tables then made every later write cost more as the store grew.
/// </summary>
public sealed class PostgresWritePlanTests : IDisposable
{
    private readonly PostgresBackend.TestSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    [Fact]
    public void A_write_runs_its_statements_without_sequential_scans_or_hash_joins()
    {
        using var store = PostgresStore.Open(_schema.ConnectionString);
        // A trigger on the ledger sees the settings the write's statements run with.
        _schema.Execute("""
            CREATE TABLE seen_settings(seqscan text, hashjoin text, mergejoin text);
            CREATE FUNCTION note_settings() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
                INSERT INTO seen_settings VALUES (current_setting('enable_seqscan'), current_setting('enable_hashjoin'), current_setting('enable_mergejoin'));
                RETURN NEW; END $$;
            CREATE TRIGGER note_settings AFTER INSERT ON assertions FOR EACH STATEMENT EXECUTE FUNCTION note_settings();
            """);

        store.Write([new AssertOperation(A("paris", "capital_of", "france"))]);

        Assert.Equal("off off off", _schema.Scalar("SELECT seqscan || ' ' || hashjoin || ' ' || mergejoin FROM seen_settings"));
    }

    [Fact]
    public void A_write_s_plan_settings_end_with_its_transaction()
    {
        using var connection = new NpgsqlConnection(_schema.ConnectionString);
        connection.Open();
        using (var transaction = connection.BeginTransaction())
        {
            PgKeyLookupPlans.Apply(connection, transaction);
            transaction.Commit();
        }

        using var command = new NpgsqlCommand("SELECT current_setting('enable_seqscan')", connection);
        Assert.Equal("on", command.ExecuteScalar());
    }
}
