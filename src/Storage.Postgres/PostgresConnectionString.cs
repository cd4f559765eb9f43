using Npgsql;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// The <c>Data Source</c> of a <c>Storage=postgres</c> connection: an Npgsql connection string
/// (<c>Host=...;Port=...;Database=...;Username=...;Password=...</c>, and any other Npgsql keyword such as
/// <c>Search Path</c> for the schema the store lives in). Checked here; named in errors without its password.
/// </summary>
internal static class PostgresConnectionString
{
    /// <summary>The parsed connection string; an unknown keyword, a bad value or no Host is InvalidConnectionString.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string dataSource)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(dataSource);
        }
        catch (Exception error) when (error is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // The message names the keyword, never the whole string (it may hold a password).
            throw new StemeException(StemeErrorCode.InvalidConnectionString,
                $"The PostgreSQL Data Source is not a valid Npgsql connection string ({error.Message}): write it as Data Source='Host=...;Database=...;Username=...;Password=...', quoted inside the StemeQL connection string.", error);
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
            throw new StemeException(StemeErrorCode.InvalidConnectionString,
                "The PostgreSQL Data Source names no Host: write it as Data Source='Host=...;Database=...;Username=...;Password=...'.");
        return builder;
    }

    /// <summary>The server, port, database and schema (no credentials), for errors and the lease's data source.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"PostgreSQL {Hosts(builder)}/{builder.Database ?? builder.Username ?? "postgres"}"
        + (string.IsNullOrEmpty(builder.SearchPath) ? "" : $" (schema {builder.SearchPath})");

    // Each host with the port Npgsql connects to: a host of a list (Host=a:5433,b) may name its own, the others take Port.
    private static string Hosts(NpgsqlConnectionStringBuilder builder) => string.Join(',',
        (builder.Host ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(host =>
            HasPort(host) ? host
            : host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]:{builder.Port}" // a bare IPv6 address
            : $"{host}:{builder.Port}"));

    // As Npgsql splits a host: a port follows the last colon when it is the only one, or when it follows "[IPv6]".
    private static bool HasPort(string host)
    {
        int colon = host.LastIndexOf(':');
        if (colon <= 0) return false;
        int other = host.LastIndexOf(':', colon - 1);
        int bracket = host.LastIndexOf(']');
        return other < 0 || (colon > bracket && other < bracket);
    }

    /// <summary>
    /// Where large objects go when no bucket is configured: a folder on this machine named after the
    /// server, database and schema. Processes on several machines need S3 (Object Bucket) to share objects.
    /// </summary>
    public static string ObjectFolder(NpgsqlConnectionStringBuilder builder)
    {
        string name = string.Concat($"{builder.Host}_{builder.Port}_{builder.Database}_{builder.SearchPath}"
            .Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_'));
        string root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        if (string.IsNullOrEmpty(root)) root = Path.GetTempPath();
        return Path.Combine(root, "stemeql", "postgres", name);
    }
}
