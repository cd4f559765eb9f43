namespace StemeQL.Workloads;

/// <summary>A fresh data folder under the workload's root (--dir), deleted afterwards.</summary>
internal sealed class Scratch : IDisposable
{
    private Scratch(string path) => Path = path;

    /// <summary>The folder (not created yet: the store creates it).</summary>
    public string Path { get; }

    public static Scratch Create(string root, string name) =>
        new(System.IO.Path.Combine(root, $"stemeql-{name}-{Guid.NewGuid():N}"));

    /// <summary>A connection string for this folder.</summary>
    public string ConnectionString(string agent, string extra = "") => $"Data Source={Path};Agent={agent}{extra}";

    /// <summary>Opens a connection on this folder.</summary>
    public StemeConnection Open(string agent, string extra = "")
    {
        var connection = new StemeConnection(ConnectionString(agent, extra));
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
