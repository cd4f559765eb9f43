using Microsoft.Extensions.Logging;

namespace StemeQL.Cli;

/// <summary>
/// The provider's store events a person at the shell should see as they happen, written to stderr as <c>note: …</c>
/// lines: a schema upgrade that holds the open (before it starts, and once done), a journal repaired or salvaged at
/// open, a store that stopped accepting writes. Every entry also goes on to <paramref name="forward"/> (the OTLP log
/// export), when there is one. Given to the connections the command opens, not set process-wide.
/// </summary>
internal sealed class StoreNotices(TextWriter error, ILoggerFactory? forward = null) : ILoggerFactory
{
    private const string ConnectionCategory = "StemeQL.Connection";

    private static readonly HashSet<int> Shown =
    [
        StemeLogEvents.SchemaUpgrading, StemeLogEvents.SchemaUpgraded, StemeLogEvents.JournalRecovered,
        StemeLogEvents.JournalSalvaged, StemeLogEvents.StoreFailStopped,
    ];

    /// <summary>A connection (not yet open) on <paramref name="connectionString"/> whose store events are shown.</summary>
    public StemeConnection Connection(string connectionString) =>
        new StemeDataSourceBuilder(connectionString).UseLoggerFactory(this).Build().CreateConnection();

    // Store events are logged under the connection category; the command category (slow and failed commands, which
    // the shell reports itself) is enabled only where it is forwarded, so the provider does no logging work for it.
    public ILogger CreateLogger(string categoryName) => categoryName == ConnectionCategory
        ? new Notices(error, forward?.CreateLogger(categoryName))
        : forward?.CreateLogger(categoryName) ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("The shell's store notices take no providers.");

    public void Dispose()
    {
        // The forwarded factory belongs to whoever made it.
    }

    private sealed class Notices(TextWriter error, ILogger? forward) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => forward?.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information || forward?.IsEnabled(logLevel) == true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (Shown.Contains(eventId.Id))
            {
                lock (error) error.WriteLine("note: " + formatter(state, exception));
            }
            if (forward?.IsEnabled(logLevel) == true) forward.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
