using System.Globalization;

namespace StemeQL.Cli.Tests;

public sealed class ViewCatchUpTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Wait_returns_once_the_views_hold_every_durable_row_and_says_so_when_it_waited()
    {
        using var connection = new StemeConnection($"Data Source={_folder.Path}");
        connection.Open();
        new StemeBulkLoader(connection).WriteAssertions(
            Enumerable.Range(0, 50_000).Select(i => new BulkAssertion($"s{i % 997}", $"p{i % 7}", i)));
        var error = new StringWriter();

        var waited = ViewCatchUp.Wait(connection, error, terminal: false, interval: TimeSpan.Zero, quiet: TimeSpan.Zero);

        var (durable, materialized) = Status(connection);
        Assert.Equal(durable, materialized);
        Assert.Equal(50_000L, durable);
        if (waited > TimeSpan.Zero)
        {
            Assert.Contains("bringing the views up to date before closing", error.ToString());
            Assert.EndsWith("views up to date after " + waited.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s.\n", error.ToString().ReplaceLineEndings("\n"));
        }
        else
        {
            Assert.Equal("", error.ToString());
        }

        // Up to date now: a second wait returns at once and prints nothing.
        var again = new StringWriter();
        Assert.Equal(TimeSpan.Zero, ViewCatchUp.Wait(connection, again, terminal: false));
        Assert.Equal("", again.ToString());
    }

    private static (long Durable, long Materialized) Status(StemeConnection connection)
    {
        using var command = new StemeCommand("SELECT durable_lsn, materialized_lsn FROM stemeql_status", connection);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
