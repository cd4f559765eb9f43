namespace StemeQL.Docs.Tests;

public sealed class DocBlockTests
{
    [Fact]
    public void Every_csharp_block_of_the_docs_is_an_example_that_compiles()
    {
        var examples = DocBlocks.InExamples().ToHashSet();
        var missing = DocBlocks.InMarkdown().Where(b => !examples.Contains(b.Code)).Select(b => $"{b.File}:{b.Line}").ToList();
        Assert.True(missing.Count == 0,
            "These C# blocks are not in examples/docs/*.cs (between // <doc> and // </doc>) or examples/first-program/Program.cs, " +
            "so no test compiles them; put each there, exactly as the page shows it: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_docs_have_csharp_blocks_to_check()
    {
        Assert.True(DocBlocks.InMarkdown().Count() >= 20);
    }
}

public sealed class FirstProgramFilesTests
{
    [Theory]
    [InlineData("examples/first-program/nuget.config")]
    [InlineData("examples/first-program/first-program.csproj")]
    public void Readme_shows_the_first_program_file_as_it_is(string file)
    {
        string readme = File.ReadAllText(RepositoryFiles.PathOf("README.md")).ReplaceLineEndings("\n");
        Assert.Contains(File.ReadAllText(RepositoryFiles.PathOf(file)).ReplaceLineEndings("\n").TrimEnd(), readme);
    }
}
