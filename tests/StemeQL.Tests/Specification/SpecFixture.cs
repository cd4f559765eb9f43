using StemeQL.Tests.Support;

namespace StemeQL.Tests.Specification;

/// <summary>
/// The base of the specification suite: a fresh data folder and an open connection per test. The
/// suite follows the community ADO.NET specification tests (AdoNet.Specification.Tests, run by Npgsql
/// and MySqlConnector): one behaviour per test, named after it.
/// </summary>
public abstract class SpecFixture : IDisposable
{
    protected SpecFixture() => Connection = Database.Open("alice");

    protected TempFolderDatabase Database { get; } = new();

    protected StemeConnection Connection { get; }

    /// <summary>Asserts <c>('v', 'value', literal)</c>, so <see cref="ReadObject"/> reads it back.</summary>
    protected void StoreObject(string literal) =>
        new StemeCommand($"ASSERT ('v', 'value', {literal})", Connection).ExecuteNonQuery();

    /// <summary>A reader on the row of <see cref="StoreObject"/>, positioned on it: column 0 is the object, 1 a NULL (confidence without a lens).</summary>
    protected StemeDataReader ReadObject()
    {
        var reader = Query("SELECT object, confidence FROM assertions WHERE subject = 'v'");
        Xunit.Assert.True(reader.Read());
        return reader;
    }

    protected StemeDataReader Query(string text) => new StemeCommand(text, Connection).ExecuteReader();

    /// <summary>How many assertions the data folder holds, read on a fresh connection that waits for every write.</summary>
    protected long CountAssertions()
    {
        using var fresh = new StemeConnection(Database.ConnectionString("counter") + ";Consistency=Process");
        fresh.Open();
        return Convert.ToInt64(new StemeCommand("SELECT count(*) FROM assertions", fresh).ExecuteScalar());
    }

    /// <summary>A token that is already cancelled.</summary>
    protected static CancellationToken Cancelled => new(canceled: true);

    public virtual void Dispose()
    {
        Connection.Dispose();
        Database.Dispose();
        GC.SuppressFinalize(this);
    }
}
