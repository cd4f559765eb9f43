using System.Text;

namespace StemeQL.Cli;

/// <summary>
/// The statements and commands typed at the prompt, kept in a file (<c>~/.steme_history</c>) across sessions.
/// A statement typed over several lines is one entry, so Up recalls it whole. In the file each entry is one
/// line, with its line breaks written <c>\n</c> and backslashes <c>\\</c>.
/// </summary>
internal sealed class HistoryFile
{
    /// <summary>How many of the newest entries are loaded at start.</summary>
    public const int MaxLoaded = 1000;

    private readonly string? _path;
    private readonly List<string> _entries = [];

    /// <summary>History kept in <paramref name="path"/>; null keeps it in memory only.</summary>
    public HistoryFile(string? path)
    {
        _path = path;
        if (path is null) return;
        try
        {
            if (File.Exists(path))
                _entries.AddRange(File.ReadLines(path).Where(l => l.Length > 0).TakeLast(MaxLoaded).Select(Decode));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // History is a convenience: an unreadable file must not stop the shell.
        }
    }

    /// <summary>The default location: <c>.steme_history</c> in the user's home folder.</summary>
    public static string? DefaultPath =>
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home
            ? Path.Combine(home, ".steme_history")
            : null;

    /// <summary>The entries, oldest first.</summary>
    public IReadOnlyList<string> Entries => _entries;

    /// <summary>Remembers an entry and appends it to the file; blank entries and immediate repeats are skipped.</summary>
    public void Add(string entry)
    {
        entry = entry.TrimEnd('\n', '\r');
        if (string.IsNullOrWhiteSpace(entry) || (_entries.Count > 0 && _entries[^1] == entry)) return;
        _entries.Add(entry);
        if (_path is null) return;
        try
        {
            File.AppendAllText(_path, Encode(entry) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only home folder just means no persisted history.
        }
    }

    private static string Encode(string entry) =>
        entry.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Decode(string line)
    {
        if (!line.Contains('\\', StringComparison.Ordinal)) return line;
        var entry = new StringBuilder(line.Length);
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '\\' && i + 1 < line.Length && line[i + 1] is 'n' or '\\')
                entry.Append(line[++i] == 'n' ? '\n' : '\\');
            else
                entry.Append(c);
        }
        return entry.ToString();
    }
}
