namespace StemeQL.Cli.Tests;

public sealed class HistoryFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "steme-history-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void History_appends_lines_and_loads_them_next_time()
    {
        var first = new HistoryFile(_path);
        first.Add("SELECT subject");
        first.Add("FROM assertions;");
        first.Add("FROM assertions;"); // an immediate repeat is kept once
        first.Add("   ");

        Assert.Equal(["SELECT subject", "FROM assertions;"], new HistoryFile(_path).Entries);
    }

    [Fact]
    public void History_without_a_path_stays_in_memory()
    {
        var history = new HistoryFile(null);
        history.Add(".tables");
        Assert.Equal([".tables"], history.Entries);
    }
}
