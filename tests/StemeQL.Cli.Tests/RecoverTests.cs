using Microsoft.Data.Sqlite;

namespace StemeQL.Cli.Tests;

public sealed class RecoverTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private void WriteAssertions(int count)
    {
        using var connection = new StemeConnection($"Data Source={_folder.Path};Store Idle Timeout=0");
        connection.Open();
        for (int i = 0; i < count; i++)
            new StemeCommand($"ASSERT ('s{i}', 'p', {i})", connection).ExecuteNonQuery();
    }

    // The state a crash leaves when the journal's newest writes are gone: the store recorded LSN lsn as durable.
    private void RecordDurable(long lsn)
    {
        SQLitePCL.Batteries.Init();
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, "store.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE meta SET value = '{lsn}' WHERE key = 'durable_lsn'";
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    [Fact]
    public void Recover_reports_a_sound_journal()
    {
        WriteAssertions(3);
        var (code, output, error) = Steme.Run(["recover", _folder.Path]);
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("The journal is sound: nothing was cut or lost (durable LSN 3)", output);
    }

    [Fact]
    public void Recover_refuses_a_damaged_journal_and_salvage_reports_the_lost_lsns()
    {
        WriteAssertions(5);
        RecordDurable(8);

        var refused = Steme.Run(["recover", _folder.Path]);
        Assert.Equal(1, refused.Code);
        Assert.Contains("error [JournalDamaged]", refused.Err);
        Assert.Contains("LSN 6-8 are missing", refused.Err);
        Assert.Contains("steme recover --salvage", refused.Err);

        var salvaged = Steme.Run(["recover", "--salvage", _folder.Path]);
        Assert.Equal((0, ""), (salvaged.Code, salvaged.Err));
        Assert.Contains("salvage lost LSN 6-8 (3 in all)", salvaged.Out);
        Assert.Contains("Durable LSN 8", salvaged.Out);

        // The store opens normally now, and new writes never reuse a lost LSN.
        using var connection = new StemeConnection($"Data Source={_folder.Path};Store Idle Timeout=0");
        connection.Open();
        using var reader = new StemeCommand("ASSERT ('after', 'p', 1)", connection).ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(9L, reader.GetInt64(reader.GetOrdinal("lsn")));
    }

    [Fact]
    public void Recover_rejects_an_unknown_option()
    {
        var (code, _, error) = Steme.Run(["recover", "--force", _folder.Path]);
        Assert.Equal(2, code);
        Assert.Contains("unknown option '--force'", error);
    }
}
