namespace StemeQL.TestSupport;

/// <summary>
/// The settings files tools/test-servers/*.sh write: NAME=value or NAME='value' lines, sourced by test.sh
/// too (where the quotes keep ';' from ending the assignment).
/// </summary>
internal static class EnvFile
{
    /// <summary>The value of <paramref name="name"/> in the file, or null when the file does not set it.</summary>
    public static string? Find(string path, string name)
    {
        foreach (var line in File.ReadLines(path))
        {
            int equals = line.IndexOf('=');
            if (equals > 0 && line[..equals] == name) return line[(equals + 1)..].Trim('\'');
        }
        return null;
    }

    /// <summary>The value of <paramref name="name"/>; throws, naming the file, when it is not set.</summary>
    public static string Get(string path, string name) =>
        Find(path, name) ?? throw new InvalidOperationException($"{path} does not set {name}");
}
