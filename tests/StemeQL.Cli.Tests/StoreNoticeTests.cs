namespace StemeQL.Cli.Tests;

/// <summary>Store events a person should see as they happen (a journal repaired at open, a schema upgrade) are shown on stderr.</summary>
public sealed class StoreNoticeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // Written and closed (no idle timeout), so the shell's open below is the one that opens the store.
    private void WriteOne()
    {
        using var connection = new StemeConnection($"Data Source={_folder.Path};Store Idle Timeout=0");
        connection.Open();
        new StemeCommand("ASSERT ('paris', 'capital_of', 'france')", connection).ExecuteNonQuery();
    }

    [Fact]
    public void Opening_a_folder_whose_journal_has_a_torn_tail_shows_the_repair_as_a_note()
    {
        WriteOne();
        string newest = Directory.GetFiles(System.IO.Path.Combine(_folder.Path, "journal")).Order(StringComparer.Ordinal).Last();
        // Bytes that are no frame (zeros would read as space the journal allocated ahead, not as a tear).
        using (var stream = new FileStream(newest, FileMode.Append)) stream.Write(Enumerable.Repeat((byte)7, 100).ToArray());

        var (code, output, error) = Steme.RunWithInput("SELECT object FROM assertions;\n", _folder.Path);

        Assert.Equal(0, code);
        Assert.Contains("france", output);
        Assert.Contains("note: Recovery repaired the journal of", error);
        Assert.Contains("torn tail", error);
    }

    [Fact]
    public void Opening_a_sound_folder_shows_no_note()
    {
        WriteOne();

        var (code, _, error) = Steme.RunWithInput("SELECT object FROM assertions;\n", _folder.Path);

        Assert.Equal((0, ""), (code, error));
    }
}
