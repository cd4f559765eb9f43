namespace StemeQL.Cli.Tests;

public sealed class BytesPreviewTests : IDisposable
{
    // 100 bytes: 0x00, 0x01, ... 0x63; longer than the 64 a table shows whole.
    private static readonly string LongHex = Convert.ToHexStringLower([.. Enumerable.Range(0, 100).Select(i => (byte)i)]);

    private readonly TempFolder _folder = new();

    public BytesPreviewTests() =>
        Assert.Equal(0, Steme.Run("-c", $"ASSERT ('long', 'is', x'{LongHex}'), ('short', 'is', x'00ff');", _folder.Path).Code);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_table_shows_the_start_and_length_of_long_bytes_and_short_bytes_whole()
    {
        var (code, output, _) = Steme.Run("-c", "SELECT subject, object FROM assertions ORDER BY subject;", _folder.Path);

        Assert.Equal(0, code);
        Assert.Contains($"x'{LongHex[..64]}'… (100 bytes)", output);
        Assert.DoesNotContain(LongHex, output);
        Assert.Contains("x'00ff'", output);
    }

    [Fact]
    public void Line_mode_previews_long_bytes_too()
    {
        var (_, output, _) = Steme.Run("-c", ".mode line\nSELECT object FROM assertions WHERE subject = 'long';", _folder.Path);

        Assert.Contains($"object = x'{LongHex[..64]}'… (100 bytes)", output);
    }

    [Fact]
    public void Csv_keeps_every_byte_for_the_programs_that_read_it()
    {
        var (_, output, _) = Steme.Run("--csv", "-c", "SELECT object FROM assertions WHERE subject = 'long';", _folder.Path);

        Assert.Equal($"object\nx'{LongHex}'\n", output);
    }
}
