using Microsoft.Extensions.Logging;

namespace StemeQL;

/// <summary>
/// Configures a <see cref="StemeDataSource"/>: the connection string (through
/// <see cref="ConnectionStringBuilder"/>) and what lives beside it, such as a logger factory. Modelled
/// on Npgsql's <c>NpgsqlDataSourceBuilder</c>.
/// </summary>
/// <example><code>
/// var builder = new StemeDataSourceBuilder("Data Source=./stemedb");
/// builder.ConnectionStringBuilder.Agent = "alice";
/// await using var dataSource = builder.UseLoggerFactory(loggerFactory).Build();
/// await using var connection = await dataSource.OpenConnectionAsync();
/// </code></example>
public sealed class StemeDataSourceBuilder
{
    private ILoggerFactory? _loggerFactory;
    private bool _telemetry = true;

    /// <summary>A builder starting from <paramref name="connectionString"/> (none when null).</summary>
    public StemeDataSourceBuilder(string? connectionString = null) => ConnectionStringBuilder = new StemeConnectionStringBuilder(connectionString);

    /// <summary>The connection settings; change them before <see cref="Build"/>.</summary>
    public StemeConnectionStringBuilder ConnectionStringBuilder { get; }

    /// <summary>The connection string the data source will use.</summary>
    public string ConnectionString => ConnectionStringBuilder.ConnectionString;

    /// <summary>
    /// Connections made by the data source open their store through the provider named
    /// <paramref name="storage"/> (the connection string's <c>Storage</c>; <c>embedded</c> by default).
    /// An unknown name fails when a connection opens (InvalidConnectionString, listing the known names).
    /// </summary>
    public StemeDataSourceBuilder UseStorage(string storage)
    {
        ConnectionStringBuilder.Storage = storage;
        return this;
    }

    /// <summary>Connections made by the data source log through <paramref name="loggerFactory"/> (null: no logging).</summary>
    public StemeDataSourceBuilder UseLoggerFactory(ILoggerFactory? loggerFactory)
    {
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>
    /// Whether connections made by the data source record spans and metrics (on by default). Off, they start
    /// no span and record no measurement, whoever listens; log events are not affected (see
    /// <see cref="UseLoggerFactory"/>). To turn telemetry off for the whole process, set the AppContext switch
    /// <c>StemeQL.DisableTelemetry</c> instead.
    /// </summary>
    public StemeDataSourceBuilder EnableTelemetry(bool enabled = true)
    {
        _telemetry = enabled;
        return this;
    }

    /// <summary>The data source. Later changes to this builder do not affect it.</summary>
    public StemeDataSource Build() => new(ConnectionString, _loggerFactory, _telemetry);
}
