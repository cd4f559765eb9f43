namespace StemeQL.Cli;

/// <summary>
/// The lines typed at the prompt, kept in a file (<c>~/.steme_history</c>) across sessions.
/// Lines rather than whole statements are kept so a recalled line is exactly what was typed.
/// </summary>
internal sealed class HistoryFile
{
    /// <summary>How many of the newest lines are loaded at start.</summary>
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
                _entries.AddRange(File.ReadLines(path).Where(l => l.Length > 0).TakeLast(MaxLoaded));
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

    /// <summary>The lines, oldest first.</summary>
    public IReadOnlyList<string> Entries => _entries;

    /// <summary>Remembers a line and appends it to the file; blank lines and immediate repeats are skipped.</summary>
    public void Add(string line)
    {
        if (string.IsNullOrWhiteSpace(line) || (_entries.Count > 0 && _entries[^1] == line)) return;
        _entries.Add(line);
        if (_path is null) return;
        try
        {
            File.AppendAllText(_path, line + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only home folder just means no persisted history.
        }
    }
}
