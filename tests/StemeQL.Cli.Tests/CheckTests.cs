using Microsoft.Data.Sqlite;

namespace StemeQL.Cli.Tests;

public sealed class CheckTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public CheckTests()
    {
        var (code, _, err) = Steme.Run(_folder.Path, "-c", "ASSERT ('a', 'p', 'one'); ASSERT ('b', 'p', 'two')");
        Assert.True(code == 0, err);
    }

    public void Dispose() => _folder.Dispose();

    private void Damage(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_folder.Path, "store.db"), Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    [Fact]
    public void Check_of_a_sound_database_prints_a_summary_and_exits_0()
    {
        var (code, output, err) = Steme.Run("check", _folder.Path);
        Assert.True(code == 0, err + output);
        Assert.Contains("assertions:     2 hashes verified", output, StringComparison.Ordinal);
        Assert.Contains("problems:       0", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_reports_a_forged_row_with_its_lsn_and_exits_1()
    {
        Damage("UPDATE assertions SET object = 'forged' WHERE subject = 'b'");
        var (code, output, _) = Steme.Run("check", _folder.Path);
        Assert.Equal(1, code);
        Assert.Contains("assertion_hash\tlsn 2\thash ", output, StringComparison.Ordinal);
        // The views were folded from the row as it was, so they differ from the forged ledger too.
        Assert.Contains("view_mismatch", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_changes_nothing_and_repair_rebuilds_damaged_views()
    {
        Damage("UPDATE mv_set SET total_units = 1 WHERE subject = 'a'");
        var (code, output, _) = Steme.Run("check", _folder.Path);
        Assert.Equal(1, code);
        Assert.Contains("view_mismatch", output, StringComparison.Ordinal);
        Assert.Equal(1, Steme.Run("check", _folder.Path).Code);

        (code, output, _) = Steme.Run("check", _folder.Path, "--repair");
        Assert.Equal(1, code);
        Assert.Contains("(views rebuilt from the ledger)", output, StringComparison.Ordinal);
        (code, output, _) = Steme.Run("check", _folder.Path);
        Assert.True(code == 0, output);
    }

    [Fact]
    public void Check_of_a_missing_database_or_with_a_bad_option_fails_clearly()
    {
        var (code, _, err) = Steme.Run("check", Path.Combine(_folder.Path, "nothing-here"));
        Assert.Equal(1, code);
        Assert.Contains("no StemeQL database", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "nothing-here")));
        (code, _, err) = Steme.Run("check", _folder.Path, "--fix");
        Assert.Equal(2, code);
        Assert.Contains("unknown option '--fix'", err, StringComparison.Ordinal);
        var help = Steme.Run("check", "--help");
        Assert.Equal(0, help.Code);
        Assert.Contains("--repair", help.Out, StringComparison.Ordinal);
    }
}
