using Microsoft.Extensions.Logging;

namespace StemeQL.Internal;

/// <summary>The provider's log events, as LoggerMessage source-generated methods (no allocation while disabled).</summary>
internal static partial class StemeLog
{
    /// <summary>The category of connection and store events.</summary>
    public const string ConnectionCategory = "StemeQL.Connection";

    /// <summary>The category of command events.</summary>
    public const string CommandCategory = "StemeQL.Command";

    [LoggerMessage(EventId = StemeLogEvents.StoreOpened, EventName = "StoreOpened", Level = LogLevel.Information,
        Message = "Opened the store at {DataSource} (durable LSN {DurableLsn}, materialized LSN {MaterializedLsn})")]
    public static partial void StoreOpened(ILogger logger, string dataSource, long durableLsn, long materializedLsn);

    [LoggerMessage(EventId = StemeLogEvents.StoreClosed, EventName = "StoreClosed", Level = LogLevel.Information,
        Message = "Closed the store at {DataSource}")]
    public static partial void StoreClosed(ILogger logger, string dataSource);

    [LoggerMessage(EventId = StemeLogEvents.JournalRecovered, EventName = "JournalRecovered", Level = LogLevel.Warning,
        Message = "Recovery repaired the journal of {DataSource}; no acknowledged write was lost: {Recovered}")]
    public static partial void JournalRecovered(ILogger logger, string dataSource, string recovered);

    [LoggerMessage(EventId = StemeLogEvents.JournalSalvaged, EventName = "JournalSalvaged", Level = LogLevel.Error,
        Message = "Recovery salvaged the damaged journal of {DataSource}: {Recovered}")]
    public static partial void JournalSalvaged(ILogger logger, string dataSource, string recovered);

    [LoggerMessage(EventId = StemeLogEvents.StoreFailStopped, EventName = "StoreFailStopped", Level = LogLevel.Critical,
        Message = "The store at {DataSource} stopped accepting writes (fail-stop); reads keep working: {Failure}")]
    public static partial void StoreFailStopped(ILogger logger, string dataSource, string failure);

    [LoggerMessage(EventId = StemeLogEvents.SchemaUpgrading, EventName = "SchemaUpgrading", Level = LogLevel.Information,
        Message = "Upgrading the store at {Where} from schema version {FromVersion} to {ToVersion}: one transaction that rewrites tables, which can take minutes on a large store; the open waits for it")]
    private static partial void SchemaUpgrading(ILogger logger, string where, long fromVersion, long toVersion);

    [LoggerMessage(EventId = StemeLogEvents.SchemaUpgraded, EventName = "SchemaUpgraded", Level = LogLevel.Information,
        Message = "Upgraded the store at {Where} from schema version {FromVersion} to {ToVersion} in {ElapsedMilliseconds} ms")]
    private static partial void SchemaUpgraded(ILogger logger, string where, long fromVersion, long toVersion, long elapsedMilliseconds);

    /// <summary>Logs an upgrade about to start or just committed.</summary>
    public static void SchemaUpgrade(ILogger logger, StemeQL.Storage.Abstractions.SchemaUpgrade upgrade)
    {
        if (upgrade.Elapsed is { } elapsed) SchemaUpgraded(logger, upgrade.Where, upgrade.FromVersion, upgrade.ToVersion, (long)elapsed.TotalMilliseconds);
        else SchemaUpgrading(logger, upgrade.Where, upgrade.FromVersion, upgrade.ToVersion);
    }

    [LoggerMessage(EventId = StemeLogEvents.SlowQuery, EventName = "SlowQuery", Level = LogLevel.Warning,
        Message = "{Operation} took {ElapsedMilliseconds} ms (Slow Query Threshold {ThresholdMilliseconds} ms): {CommandText}")]
    public static partial void SlowQuery(ILogger logger, string operation, long elapsedMilliseconds, int thresholdMilliseconds, string commandText);

    [LoggerMessage(EventId = StemeLogEvents.CommandFailed, EventName = "CommandFailed", Level = LogLevel.Error,
        Message = "{Operation} failed with {ErrorCode}: {CommandText}")]
    public static partial void CommandFailed(ILogger logger, Exception error, string operation, string errorCode, string commandText);
}
