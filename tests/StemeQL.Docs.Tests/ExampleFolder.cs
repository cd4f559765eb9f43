namespace StemeQL.Docs.Tests;

/// <summary>
/// A temporary working folder an example runs in: its relative data folders (./stemedb, ./demo-db)
/// are empty, or hold the quickstart's facts, as a reader who ran the README's first command has.
/// </summary>
internal sealed class ExampleFolder : IDisposable
{
    public ExampleFolder(bool quickstart)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "stemeql-docs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        if (!quickstart) return;
        string script = File.ReadAllText(RepositoryFiles.PathOf("examples/quickstart.stql"));
        foreach (var folder in new[] { "demo-db", "stemedb" })
        {
            using var connection = new StemeConnection($"Data Source={System.IO.Path.Combine(Path, folder)};Agent=anonymous");
            connection.Open();
            using var command = new StemeCommand(script, connection);
            command.ExecuteNonQuery();
        }
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A store still closing may hold a file a moment longer; the temp folder is cleaned eventually.
        }
    }
}
