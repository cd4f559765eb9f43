using System.Text.RegularExpressions;

namespace StemeQL.Docs.Tests;

/// <summary>
/// The C# blocks of the Markdown docs, and the regions of the example files between <c>// &lt;doc&gt;</c>
/// and <c>// &lt;/doc&gt;</c> lines. Both are compared dedented, without the leading <c>using</c>
/// directives (an example file has them at its top).
/// </summary>
internal static partial class DocBlocks
{
    /// <summary>Every ```csharp block of README.md and docs/*.md, with the file and line it starts on.</summary>
    public static IEnumerable<(string File, int Line, string Code)> InMarkdown()
    {
        var files = new[] { RepositoryFiles.PathOf("README.md") }
            .Concat(Directory.GetFiles(RepositoryFiles.PathOf("docs"), "*.md").Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Trim() != "```csharp") continue;
                int start = i + 1;
                while (++i < lines.Length && lines[i].Trim() != "```") { }
                yield return (Path.GetRelativePath(RepositoryFiles.Root, file), start, Normalize(lines[start..i]));
            }
        }
    }

    /// <summary>Every doc region of the example files, and each first program as a whole.</summary>
    public static IEnumerable<string> InExamples()
    {
        yield return Normalize(File.ReadAllLines(RepositoryFiles.PathOf("examples/first-program/Program.cs")));
        foreach (var file in Directory.GetFiles(RepositoryFiles.PathOf("examples/docs"), "*.cs"))
        {
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Trim() != "// <doc>") continue;
                int start = i + 1;
                while (++i < lines.Length && lines[i].Trim() != "// </doc>") { }
                yield return Normalize(lines[start..i]);
            }
        }
    }

    private static string Normalize(string[] lines)
    {
        var code = lines.SkipWhile(l => UsingDirective().IsMatch(l) || l.Trim().Length == 0).ToList();
        int indent = code.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', code.Select(l => l.Length >= indent ? l[indent..].TrimEnd() : l.TrimEnd())).Trim();
    }

    [GeneratedRegex(@"^using [A-Za-z][A-Za-z0-9.]*;\s*$")]
    private static partial Regex UsingDirective();
}
