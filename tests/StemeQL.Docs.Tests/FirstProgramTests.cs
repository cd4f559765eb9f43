using System.Text.RegularExpressions;

namespace StemeQL.Docs.Tests;

/// <summary>
/// The README's path for a program outside the repository: pack, then a fresh folder with the README's
/// nuget.config, project file and ten lines, run on an empty database and on the quickstart's. A second
/// project in the same fresh folder compiles every example of the docs against the packages and runs them.
/// </summary>
public sealed class FirstProgramTests : IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "stemeql-first-program-" + Guid.NewGuid().ToString("N"));
    private string? _version;

    [Fact]
    public void Readme_program_and_doc_examples_run_from_a_fresh_folder_on_the_packages()
    {
        string packages = Path.Combine(_folder, "packages");
        string packed = ProcessRun.Succeed("bash", $"tools/pack.sh \"{packages}\"", RepositoryFiles.Root, BuildTimeout);
        _version = Regex.Match(packed, @"^0\.1\.0-dev\.\d{14}$", RegexOptions.Multiline).Value;
        Assert.NotEmpty(_version);

        string first = WriteProject("first-program", packages, "first-program.csproj", File.ReadAllText(Example("first-program.csproj")));
        File.Copy(Example("Program.cs"), Path.Combine(first, "Program.cs"));
        string docs = WriteProject("doc-examples", packages, "doc-examples.csproj", DocExamplesProject());
        File.WriteAllText(Path.Combine(docs, "Program.cs"), DocExamplesRunner);
        ProcessRun.Succeed("dotnet", "build -c Release", first, BuildTimeout);
        ProcessRun.Succeed("dotnet", "build -c Release", docs, BuildTimeout);

        string empty = Directory.CreateDirectory(Path.Combine(_folder, "empty")).FullName;
        Assert.Contains("paris capital_of france (100 %)", RunFirstProgram(first, empty));
        ProcessRun.Succeed("dotnet", Path.Combine(docs, "bin/Release/net10.0/doc-examples.dll"), empty, RunTimeout);

        string quickstart = Directory.CreateDirectory(Path.Combine(_folder, "quickstart")).FullName;
        foreach (var database in new[] { "demo-db", "stemedb" })
            ProcessRun.Succeed("bash", $"./steme -f examples/quickstart.stql \"{Path.Combine(quickstart, database)}\"", RepositoryFiles.Root, BuildTimeout);
        string output = RunFirstProgram(first, quickstart);
        Assert.Contains("paris capital_of france", output);
        Assert.Contains("paris population 2102650", output);
        ProcessRun.Succeed("dotnet", Path.Combine(docs, "bin/Release/net10.0/doc-examples.dll"), quickstart, RunTimeout);
    }

    private static string RunFirstProgram(string project, string workingDirectory) =>
        ProcessRun.Succeed("dotnet", Path.Combine(project, "bin/Release/net10.0/first-program.dll"), workingDirectory, RunTimeout);

    private static string Example(string file) => RepositoryFiles.PathOf(Path.Combine("examples/first-program", file));

    // The README's nuget.config with its placeholder path replaced, as a reader does.
    private string WriteProject(string name, string packages, string projectFile, string projectText)
    {
        string folder = Directory.CreateDirectory(Path.Combine(_folder, name)).FullName;
        File.WriteAllText(Path.Combine(folder, "nuget.config"), File.ReadAllText(Example("nuget.config")).Replace("/path/to/StemeQL/packages", packages));
        File.WriteAllText(Path.Combine(folder, projectFile), projectText);
        return folder;
    }

    // The README's project file plus StemeQL.Linq, the packages docs/observability.md tells an application
    // to add (at the repository's versions), and the example files, linked from the repository.
    private static string DocExamplesProject() => File.ReadAllText(Example("first-program.csproj")).Replace(
        "  </ItemGroup>",
        "    <PackageReference Include=\"StemeQL.Linq\" Version=\"0.1.0-*\" />\n" +
        string.Concat(new[] { "Microsoft.Extensions.Logging.Console", "OpenTelemetry", "OpenTelemetry.Exporter.OpenTelemetryProtocol" }
            .Select(id => $"    <PackageReference Include=\"{id}\" Version=\"{CentralVersion(id)}\" />\n")) +
        $"    <Compile Include=\"{RepositoryFiles.PathOf("examples/docs")}/*.cs\" />\n  </ItemGroup>");

    private static string CentralVersion(string id) =>
        System.Xml.Linq.XDocument.Load(RepositoryFiles.PathOf("Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == id).Attribute("Version")!.Value;

    private const string DocExamplesRunner = """
        using System.Reflection;

        foreach (var method in typeof(DocExamples.Fact).Assembly.GetTypes()
                     .Where(t => t.Namespace == "DocExamples" && t.IsAbstract && t.IsSealed)
                     .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
                     .Where(m => m.GetParameters().Length == 0))
        {
            Console.WriteLine($"{method.DeclaringType!.Name}.{method.Name}");
            if (method.Invoke(null, null) is Task task) await task;
        }
        """;

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
            // Each run packs a new version; drop it from NuGet's cache rather than let them pile up.
            string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            foreach (var id in new[] { "stemeql", "stemeql.linq" })
                if (_version is not null && Directory.Exists(Path.Combine(cache, id, _version)))
                    Directory.Delete(Path.Combine(cache, id, _version), recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner; the test's outcome stands.
        }
    }
}
