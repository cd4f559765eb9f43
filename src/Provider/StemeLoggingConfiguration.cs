using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace StemeQL;

/// <summary>
/// The process-wide logger factory of the provider (as Npgsql's <c>NpgsqlLoggingConfiguration</c>):
/// every connection without a logger factory of its own logs through it. Until it is set, nothing is
/// logged. The events and their ids are listed in docs/observability.md and <see cref="StemeLogEvents"/>.
/// </summary>
public static class StemeLoggingConfiguration
{
    private static ILoggerFactory _factory = NullLoggerFactory.Instance;

    /// <summary>Sets the logger factory used by connections opened from now on that have none of their own.</summary>
    /// <param name="loggerFactory">The application's logger factory.</param>
    public static void InitializeLogging(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Volatile.Write(ref _factory, loggerFactory);
    }

    /// <summary>The factory set by <see cref="InitializeLogging"/>, or one that logs nothing.</summary>
    internal static ILoggerFactory GlobalLoggerFactory => Volatile.Read(ref _factory);
}
