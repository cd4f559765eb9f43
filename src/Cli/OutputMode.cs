namespace StemeQL.Cli;

/// <summary>How the shell prints result sets (<c>.mode</c>, <c>--csv</c>, <c>--json</c>).</summary>
internal enum OutputMode
{
    /// <summary>An aligned table with a <c>(N rows)</c> footer, psql style; expanded with <c>\x</c>.</summary>
    Table,

    /// <summary>RFC 4180 CSV with a header row; NULL is an empty field.</summary>
    Csv,

    /// <summary>A JSON array of objects per result set, with typed values.</summary>
    Json,

    /// <summary>One <c>column = value</c> line per column, a blank line between rows, sqlite3 style.</summary>
    Line,
}

/// <summary>Names of the output modes as typed after <c>.mode</c>.</summary>
internal static class OutputModes
{
    public const string Names = "table, csv, json, line";

    /// <summary>The mode named <paramref name="name"/> (<c>box</c> and <c>column</c> are taken as table).</summary>
    public static bool TryParse(string name, out OutputMode mode)
    {
        mode = name.ToLowerInvariant() switch
        {
            "table" or "column" or "box" => OutputMode.Table,
            "csv" => OutputMode.Csv,
            "json" => OutputMode.Json,
            "line" => OutputMode.Line,
            _ => (OutputMode)(-1),
        };
        return Enum.IsDefined(mode);
    }

    public static string Name(OutputMode mode) => mode.ToString().ToLowerInvariant();
}
