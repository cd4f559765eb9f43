using System.Text;
using StemeQL.Core.Model;

namespace StemeQL.Cli.Tests;

public sealed class ImportTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _file = Path.Combine(Path.GetTempPath(), "steme-import-" + Guid.NewGuid().ToString("N") + ".jsonl");

    public void Dispose()
    {
        File.Delete(_file);
        _folder.Dispose();
    }

    /// <summary>The hash steme gives the assertion (subject, "rank", integer) by <paramref name="agent"/>.</summary>
    private static string Hash(string subject, long rank, string agent = "importer") =>
        new Assertion(subject, "rank", StemeValue.Integer(rank), "", agent).Hash.ToString();

    private void Write(IEnumerable<string> lines) => File.WriteAllText(_file, string.Join("\n", lines) + "\n");

    private (int Code, string Out, string Err) Import(params string[] options) =>
        Steme.Run(["import", _file, _folder.Path, "--agent", "importer", .. options]);

    private long Count(string query)
    {
        using var connection = new StemeConnection($"Data Source={_folder.Path}");
        connection.Open();
        using var reader = new StemeCommand(query, connection).ExecuteReader();
        long count = 0;
        while (reader.Read()) count++;
        return count;
    }

    private static IEnumerable<string> Generated(int assertions, int votes)
    {
        for (int i = 0; i < assertions; i++) yield return $$"""{"subject": "s{{i}}", "predicate": "rank", "object": {{i}}}""";
        for (int i = 0; i < votes; i++) yield return $$"""{"vote": "{{Hash("s" + (i % assertions), i % assertions)}}", "weight": 0.5}""";
    }

    [Fact]
    public void Import_loads_a_generated_file_and_prints_a_summary()
    {
        Write(Generated(1000, 2000));
        var (code, output, error) = Import("--batch-size", "700");

        // On a busy machine the views may take over a second to catch up, and the shell says so on stderr.
        Assert.Equal("", WithoutCatchUpNotice(error));
        Assert.Equal(0, code);
        Assert.Contains("rows read:    3000\n", output);
        Assert.Contains("rows written: 3000\n", output);
        Assert.Contains("assertions:   1000 created, 0 already present\n", output);
        Assert.Contains("votes:        2000\n", output);
        Assert.Matches(@"elapsed:      \d+\.\d{3} s \(\d+ rows/s\)", output);
        Assert.Equal(1000, Count("SELECT hash FROM assertions WHERE agent = 'importer'"));
        Assert.Equal(2000, Count("SELECT lsn FROM votes WHERE agent = 'importer'"));
        Assert.Equal(2, Count($"SELECT lsn FROM votes WHERE assertion = '{Hash("s7", 7)}'"));

        var again = Import();
        Assert.Equal(0, again.Code);
        Assert.Contains("assertions:   0 created, 1000 already present\n", again.Out);
    }

    [Fact]
    public void Import_reads_every_object_type_optional_fields_blank_lines_and_crlf()
    {
        string parent = Hash("s", 1);
        File.WriteAllText(_file, "\uFEFF" + string.Join("\r\n",
            """{"subject": "s", "predicate": "rank", "object": 1}""",
            "",
            "   ",
            """{"subject": "t", "predicate": "p", "object": "text", "epoch": "modern", "confidence": 0.9}""",
            """{"subject": "r", "predicate": "p", "object": 2.5}""",
            """{"subject": "b", "predicate": "p", "object": false}""",
            """{"subject": "y", "predicate": "p", "object": {"bytes": "AQID"}}""",
            $$"""{"subject": "d", "predicate": "p", "object": "o", "derived_from": ["{{parent}}"]}""",
            $$"""{"weight": 0.25, "vote": "{{parent}}"}"""));   // no line break at the end

        var (code, output, error) = Import();
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains("rows read:    7\n", output);
        Assert.Equal(1, Count("SELECT hash FROM assertions WHERE subject = 's' AND object = 1 AND object_type = 'integer'"));
        Assert.Equal(1, Count("SELECT hash FROM assertions WHERE subject = 't' AND epoch = 'modern'"));
        Assert.Equal(1, Count("SELECT hash FROM assertions WHERE subject = 'r' AND object_type = 'real'"));
        Assert.Equal(1, Count("SELECT hash FROM assertions WHERE subject = 'b' AND object = FALSE"));
        Assert.Equal(1, Count("SELECT hash FROM assertions WHERE subject = 'y' AND object = X'010203'"));
        Assert.Equal(1, Count($"SELECT lsn FROM votes WHERE assertion = '{parent}' AND weight = 0.25"));
    }

    [Fact]
    public void Malformed_line_is_reported_with_its_number_and_its_batch_is_not_written()
    {
        var lines = Generated(250, 0).ToList();
        lines[179] = """{"subject": "s179", "predicate": "rank", "object": 179""";   // line 180: unclosed
        Write(lines);

        var (code, output, error) = Import("--batch-size", "100");
        Assert.Equal(1, code);
        Assert.StartsWith("error: line 180: invalid JSON", error);
        Assert.Contains("rows read:    180\n", output);
        Assert.Contains("rows written: 100 (before the failure", output);
        Assert.Equal(100, Count("SELECT hash FROM assertions"));
    }

    [Theory]
    [InlineData("""{"subject": "a", "predicate": "p"}""", "missing \"object\"")]
    [InlineData("""{"subject": "a", "object": 1}""", "missing \"predicate\"")]
    [InlineData("""{"subject": 5, "predicate": "p", "object": 1}""", "\"subject\" must be a string, not a number")]
    [InlineData("""{"subject": "a", "predicate": "p", "object": null}""", "\"object\" must be a string, a number, a boolean or {\"bytes\": \"<base64>\"}, not null")]
    [InlineData("""{"subject": "a", "predicate": "p", "object": [1]}""", "not an array")]
    [InlineData("""{"subject": "a", "predicate": "p", "object": {"bytes": "@@"}}""", "not valid base64")]
    [InlineData("""{"subject": "a", "predicate": "p", "object": 1, "confidence": "high"}""", "\"confidence\" must be a number")]
    [InlineData("""{"subject": "a", "predicate": "p", "object": 1, "wieght": 1}""", "unknown field \"wieght\"")]
    [InlineData("""{"subject": "a", "predicate": "p", "object": 1, "vote": "x"}""", "mixes assertion and vote fields")]
    [InlineData("""{"vote": "abc"}""", "is not an assertion hash")]
    [InlineData("""{"vote": "0000000000000000000000000000000000000000000000000000000000000000", "weight": 2}""", "The vote weight 2 is outside [0, 1]")]
    [InlineData("""{"vote": "00000000000000000000000000000000000000000000000000000000000000ff"}""", "which is not a stored assertion")]
    [InlineData("""{"subject": "a", "predicate": "p", "object": 1, "confidence": 1.5}""", "confidence 1.5 is outside [0, 1]")]
    [InlineData("""[1, 2]""", "expected a JSON object, found an array")]
    [InlineData("""{"subject": "a", "predicate": "p", "object": 1} x""", "invalid JSON")]
    [InlineData("""{}""", "the object is empty")]
    public void Bad_line_says_what_is_wrong_and_nothing_of_its_batch_is_written(string bad, string expected)
    {
        Write(["""{"subject": "ok", "predicate": "p", "object": 1}""", bad, """{"subject": "later", "predicate": "p", "object": 1}"""]);

        var (code, output, error) = Import();
        Assert.Equal(1, code);
        Assert.StartsWith("error: line 2: ", error);
        Assert.Contains(expected, error);
        Assert.Contains("rows written: 0 (before the failure", output);
        Assert.Equal(0, Count("SELECT hash FROM assertions"));
    }

    [Fact]
    public void Missing_file_exits_1()
    {
        var (code, _, error) = Import();
        Assert.Equal(1, code);
        Assert.StartsWith("error: cannot read", error);
    }

    [Theory]
    [InlineData("--batch-size", "0")]
    [InlineData("--batch-size", "many")]
    [InlineData("--bogus")]
    public void Bad_options_exit_2_with_usage(params string[] options)
    {
        var (code, _, error) = Import(options);
        Assert.Equal(2, code);
        Assert.Contains("Usage: steme import", error);
    }

    [Fact]
    public void Import_without_a_file_exits_2_and_help_exits_0()
    {
        Assert.Equal(2, Steme.Run("import").Code);
        var help = Steme.Run("import", "--help");
        Assert.Equal(0, help.Code);
        Assert.Contains("Usage: steme import FILE.jsonl", help.Out);
        // The help states the loader's default batch size, which an import without --batch-size uses.
        Assert.Contains($"--batch-size N      lines per atomic write (default {StemeBulkLoader.DefaultBatchSize})", help.Out);
        Assert.Equal(StemeBulkLoader.DefaultBatchSize, ImportOptions.Parse(["facts.jsonl"]).BatchSize);
        Assert.Contains("steme import", Steme.Run("--help").Out);
    }

    [Fact]
    public void Progress_lines_report_percentage_rows_and_rate_when_not_at_a_terminal()
    {
        var error = new StringWriter();
        var progress = new ImportProgress(error, terminal: false, totalBytes: 200, interval: TimeSpan.Zero);
        progress.Update(bytes: 100, rows: 10);
        Assert.Matches(@"^import: 50% 10 rows read, \d+ rows/s\r?\n$", error.ToString());
    }

    [Fact]
    public void Progress_bar_is_drawn_in_place_and_cleared_at_a_terminal()
    {
        var error = new StringWriter();
        var progress = new ImportProgress(error, terminal: true, totalBytes: 200, interval: TimeSpan.Zero);
        progress.Update(bytes: 100, rows: 10);
        Assert.StartsWith("\r[###############...............]  50% 10 rows", error.ToString());
        progress.Clear();
        Assert.EndsWith("\r", error.ToString());
        Assert.DoesNotContain("\n", error.ToString());
    }

    [Fact]
    public void Lines_reader_handles_long_lines_crlf_and_a_last_line_without_a_break()
    {
        string longLine = new('x', 3 << 20);
        var reader = new JsonLinesReader(new MemoryStream(Encoding.UTF8.GetBytes("a\r\n" + longLine + "\n\nlast")));
        var lines = new List<string>();
        while (reader.TryReadLine(out var line)) lines.Add(Encoding.UTF8.GetString(line));
        Assert.Equal(["a", longLine, "", "last"], lines);
        Assert.Equal(4, reader.LineNumber);
        Assert.Equal(3 + longLine.Length + 1 + 1 + 4, reader.BytesConsumed);
    }

    // The lines ViewCatchUp prints while the views catch up before the folder closes.
    private static string WithoutCatchUpNotice(string error) => string.Concat(error.Split('\n')
        .Where(line => !(line.StartsWith("steme: every row is durable", StringComparison.Ordinal)
            || line.StartsWith("       Interrupting is safe", StringComparison.Ordinal)
            || line.StartsWith("views", StringComparison.Ordinal)))
        .Select(line => line.Length == 0 ? "" : line + "\n"));
}
