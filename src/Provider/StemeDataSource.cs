using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace StemeQL;

/// <summary>
/// A connection string and its settings, made once, from which connections are made: register one per
/// database (for example as a singleton in dependency injection) and ask it for connections. Made by
/// <see cref="StemeDataSourceBuilder"/>, <see cref="Create(string)"/> or <see cref="StemeFactory.CreateDataSource(string)"/>.
/// Thread-safe. Disposing it closes the connections it made that are still open, and it makes no more.
/// </summary>
public sealed class StemeDataSource : DbDataSource
{
    private readonly string _connectionString;
    private readonly List<WeakReference<StemeConnection>> _connections = [];
    private bool _disposed;

    internal StemeDataSource(string connectionString, ILoggerFactory? loggerFactory, bool telemetry = true)
    {
        Telemetry = telemetry;
        // Parse now, so a bad connection string fails here rather than at the first Open.
        _connectionString = new StemeConnectionStringBuilder(connectionString).ConnectionString;
        LoggerFactory = loggerFactory;
    }

    /// <summary>A data source for <paramref name="connectionString"/>, with no logger factory.</summary>
    public static StemeDataSource Create(string connectionString) => new StemeDataSourceBuilder(connectionString).Build();

    /// <inheritdoc />
    public override string ConnectionString => _connectionString;

    /// <summary>The logger factory given to <see cref="StemeDataSourceBuilder.UseLoggerFactory"/>, if any.</summary>
    internal ILoggerFactory? LoggerFactory { get; }

    /// <summary>False when <see cref="StemeDataSourceBuilder.EnableTelemetry"/> turned spans and metrics off for its connections.</summary>
    internal bool Telemetry { get; }

    /// <summary>A new closed connection.</summary>
    public new StemeConnection CreateConnection()
    {
        var connection = new StemeConnection(_connectionString) { LoggerFactory = LoggerFactory, TelemetryAllowed = Telemetry };
        lock (_connections)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Forget connections already collected, so a long-lived data source does not grow.
            _connections.RemoveAll(r => !r.TryGetTarget(out _));
            _connections.Add(new WeakReference<StemeConnection>(connection));
        }
        return connection;
    }

    /// <summary>A new open connection.</summary>
    public new StemeConnection OpenConnection()
    {
        var connection = CreateConnection();
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>A new open connection; the store is embedded, so the task is complete when returned.</summary>
    public new async ValueTask<StemeConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    protected override DbConnection CreateDbConnection() => CreateConnection();

    /// <inheritdoc />
    protected override DbConnection OpenDbConnection() => OpenConnection();

    /// <inheritdoc />
    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default) =>
        await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            List<WeakReference<StemeConnection>> made;
            lock (_connections)
            {
                if (_disposed) return;
                _disposed = true;
                made = [.. _connections];
                _connections.Clear();
            }
            foreach (var reference in made)
            {
                if (reference.TryGetTarget(out var connection)) connection.Close();
            }
        }
        base.Dispose(disposing);
    }
}
