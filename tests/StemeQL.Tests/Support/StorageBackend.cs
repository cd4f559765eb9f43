namespace StemeQL.Tests.Support;

/// <summary>
/// A storage backend the shared behavioural suite runs against. Each test asks for a fresh, empty
/// database and gets a connection-string factory for it; the database is removed on dispose.
/// </summary>
public abstract class StorageBackend
{
    /// <summary>Every backend the suite runs on.</summary>
    public static readonly IReadOnlyList<StorageBackend> All = [new EmbeddedFolderBackend(), new PostgresSchemaBackend()];

    /// <summary>The backend's name, used in test names.</summary>
    public abstract string Name { get; }

    /// <summary>Creates a fresh empty database.</summary>
    public abstract TestDatabase CreateDatabase();

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>xunit member data: one row per backend.</summary>
    public static TheoryData<string> Names => new(All.Select(b => b.Name));

    /// <summary>The backend with the given name.</summary>
    public static StorageBackend Named(string name) => All.Single(b => b.Name == name);
}

/// <summary>The embedded default: a data folder with SQLite inside.</summary>
public sealed class EmbeddedFolderBackend : StorageBackend
{
    /// <inheritdoc />
    public override string Name => "embedded";

    /// <inheritdoc />
    public override TestDatabase CreateDatabase() => new TempFolderDatabase();
}

/// <summary>PostgreSQL: a fresh schema on the test server (tools/test-servers/postgres.sh) per database.</summary>
public sealed class PostgresSchemaBackend : StorageBackend
{
    /// <inheritdoc />
    public override string Name => "postgres";

    /// <inheritdoc />
    public override TestDatabase CreateDatabase() => new PostgresSchemaDatabase();
}
