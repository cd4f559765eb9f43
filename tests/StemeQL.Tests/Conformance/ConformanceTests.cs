using StemeQL.Tests.Support;

namespace StemeQL.Tests.Conformance;

/// <summary>Every case of shared/conformance (copied into Conformance/*.slt) on every storage backend.</summary>
public sealed class ConformanceTests
{
    /// <summary>(backend, file) pairs.</summary>
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        var folder = Path.Combine(AppContext.BaseDirectory, "Conformance");
        foreach (var backend in StorageBackend.All)
            foreach (var file in Directory.GetFiles(folder, "*.slt").Order())
                data.Add(backend.Name, Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Conformance_file_passes(string backend, string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Conformance", file);
        var records = SltParser.Parse(File.ReadAllText(path));
        Assert.NotEmpty(records);
        using var database = StorageBackend.Named(backend).CreateDatabase();
        using var runner = new SltRunner(database);
        runner.Run(records, file);
    }

    [Fact]
    public void Conformance_folder_holds_every_shared_case()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Conformance");
        Assert.Contains("foundation.slt", Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Contains("filters.slt", Directory.GetFiles(folder).Select(Path.GetFileName));
    }
}
