using System.Text.Json;

namespace StemeQL.Cli.Tests;

public sealed class OutputModeTests : IDisposable
{
    private const string Seed = "ASSERT ('paris', 'capital_of', 'france'), ('n', 'is', 3), ('r', 'is', 2.5), ('b', 'is', true), ('q', 'says', 'a \"quoted\", text');";

    private readonly TempFolder _folder = new();

    public OutputModeTests() => Assert.Equal(0, Steme.Run("-c", Seed, _folder.Path).Code);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Json_flag_prints_an_array_of_objects_with_typed_values()
    {
        var (code, output, error) = Steme.Run("--json", "-c", "SELECT subject, object, confidence FROM assertions ORDER BY subject;", _folder.Path);

        Assert.Equal("", error);
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var rows = json.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("subject").GetString()!, r => r.GetProperty("object"));
        Assert.Equal(JsonValueKind.True, rows["b"].ValueKind);
        Assert.Equal(3, rows["n"].GetInt64());
        Assert.Equal(2.5, rows["r"].GetDouble());
        Assert.Equal("france", rows["paris"].GetString());
        Assert.Equal("a \"quoted\", text", rows["q"].GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement[0].GetProperty("confidence").ValueKind);
    }

    [Fact]
    public void Json_of_an_empty_result_is_an_empty_array_and_bytes_are_base64_objects()
    {
        Assert.Equal("[]\n", Steme.Run("--json", "-c", "SELECT subject FROM assertions WHERE subject = 'none';", _folder.Path).Out);

        var (_, output, _) = Steme.Run("--json", "-c", "ASSERT ('blob', 'is', x'00ff');\nSELECT object FROM assertions WHERE subject = 'blob';", _folder.Path);
        Assert.EndsWith("[\n{\"object\":{\"bytes\":\"AP8=\"}}\n]\n", output);
    }

    [Fact]
    public void Csv_flag_prints_a_header_and_quotes_fields_that_need_it()
    {
        var (code, output, _) = Steme.Run("--csv", "-c", "SELECT subject, object FROM assertions WHERE subject IN ('q', 'r', 'paris') ORDER BY subject;", _folder.Path);
        Assert.Equal(0, code);
        Assert.Equal("subject,object\nparis,france\nq,\"a \"\"quoted\"\", text\"\nr,2.5\n", output); // Steme.Run reads CRLF as \n
    }

    [Fact]
    public void Mode_line_prints_column_equals_value_and_mode_alone_shows_the_mode()
    {
        var (code, output, _) = Steme.Run("-c", ".mode line\n.mode\nSELECT subject, predicate FROM assertions WHERE subject IN ('n', 'paris') ORDER BY subject;", _folder.Path);
        Assert.Equal(0, code);
        Assert.Contains("current output mode: line\n", output);
        Assert.Contains("  subject = n\npredicate = is\n\n  subject = paris\npredicate = capital_of\n", output);
    }

    [Fact]
    public void Expanded_output_prints_a_record_per_row()
    {
        var (_, output, _) = Steme.Run("-c", "\\x on\nSELECT subject, object FROM assertions WHERE subject = 'n';\n\\x off\nSELECT subject FROM assertions WHERE subject = 'n';", _folder.Path);
        Assert.Contains("-[ RECORD 1 ]\nsubject | n\nobject  | 3\n", output);
        Assert.Contains("subject\n-------\nn\n(1 row)", output);
    }

    [Fact]
    public void Unknown_mode_is_an_error_on_the_command_line_and_in_the_shell()
    {
        var (code, _, error) = Steme.Run("--mode", "xml", _folder.Path);
        Assert.Equal(ShellOptions.UsageExitCode, code);
        Assert.Contains("unknown output mode 'xml'", error);

        var (shellCode, _, shellError) = Steme.Run("-c", ".mode xml", _folder.Path);
        Assert.Equal(1, shellCode);
        Assert.Contains("usage: .mode table|csv|json|line", shellError);
    }

    [Fact]
    public void Output_file_receives_the_results_and_stdout_stays_empty()
    {
        string file = Path.Combine(Path.GetTempPath(), "steme-out-" + Guid.NewGuid().ToString("N") + ".csv");
        try
        {
            var (code, output, _) = Steme.Run("--csv", "-o", file, "-c", "SELECT subject FROM assertions WHERE subject = 'n';", _folder.Path);
            Assert.Equal(0, code);
            Assert.Equal("", output);
            Assert.Equal("subject\r\nn\r\n", File.ReadAllText(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Output_file_that_cannot_be_created_exits_1()
    {
        var (code, _, error) = Steme.Run("-o", Path.Combine(_folder.Path, "no", "such", "dir", "out.txt"), "-c", "SELECT subject FROM assertions;", _folder.Path);
        Assert.Equal(1, code);
        Assert.StartsWith("error: cannot write results to", error);
    }
}
