using Microsoft.Extensions.Logging;

namespace StemeQL.Tests.Observability;

/// <summary>A logger factory that keeps every entry logged through it, with its structured values.</summary>
public sealed class RecordingLoggerFactory : ILoggerFactory
{
    private readonly List<LogEntry> _entries = [];

    /// <summary>The entries so far, in order.</summary>
    public List<LogEntry> Entries
    {
        get
        {
            lock (_entries) return [.. _entries];
        }
    }

    /// <summary>The entries with event id <paramref name="eventId"/>.</summary>
    public List<LogEntry> With(int eventId) => Entries.Where(e => e.EventId.Id == eventId).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose() { }

    private sealed class Logger(RecordingLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : [];
            lock (factory._entries) factory._entries.Add(new LogEntry(category, logLevel, eventId, formatter(state, exception), values, exception));
        }
    }
}

/// <summary>One log entry.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Dictionary<string, object?> Values, Exception? Exception);
