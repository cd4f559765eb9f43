using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StemeQL.Planner.Execution;
using StemeQL.Planner.Plans;
using StemeQL.Planner.Syntax;

namespace StemeQL.Internal;

/// <summary>
/// The span, the duration measurement and the log events (slow query, command failed) of one command or
/// batch execution, kept by its data reader: started when the reader is created, told about each row and
/// any failure, stopped when it closes. <see cref="Start"/> returns null while nobody listens or logs, so
/// an unobserved command pays a few checks. A command that fails before it has a reader (a parse or bind
/// error) is reported by <see cref="FailedBeforeReader"/>.
/// </summary>
internal sealed class CommandTelemetry
{
    private readonly Activity? _activity;
    private readonly long _started;
    private readonly string _operation;
    private readonly string? _plan;
    private readonly string _database;
    private readonly StemeConnection _connection;
    private readonly bool _measured;
    private readonly IReadOnlyList<BoundStatement> _statements;
    private long _rows;
    private Exception? _error;
    private bool _stopped;

    private CommandTelemetry(StemeConnection connection, IReadOnlyList<BoundStatement> statements, bool traced, bool measured)
    {
        _started = Stopwatch.GetTimestamp();
        _measured = measured;
        _connection = connection;
        _statements = statements;
        _database = connection.Database;
        _operation = OperationName(statements);
        var query = statements.Select(s => s.Statement).FirstOrDefault(s => s is PreparedQuery or PreparedExplain);
        _plan = query switch
        {
            PreparedQuery q => PlanName(q.Plan.Access),
            PreparedExplain e => PlanName(e.Plan.Access),
            _ => null,
        };
        if (!traced) return;
        var previous = Activity.Current;
        _activity = Telemetry.Source.StartActivity(SpanName(statements), ActivityKind.Client);
        // The span lasts as long as the reader; the caller's own work meanwhile is not its child.
        Activity.Current = previous;
        if (_activity is { IsAllDataRequested: true })
        {
            _activity.SetTag("db.system.name", "stemeql");
            _activity.SetTag("db.namespace", _database);
            _activity.SetTag("db.operation.name", _operation);
            _activity.SetTag("db.query.text", SyntaxPrinter.PrintScript(statements.Select(s => s.Statement.Syntax)));
            if (_plan is not null) _activity.SetTag("db.stemeql.plan", _plan);
            if (LensOf(query) is { } lens) _activity.SetTag("db.stemeql.lens", lens);
        }
    }

    /// <summary>
    /// Starts observing an execution, or returns null when no span, measurement or log event is wanted. A
    /// connection whose telemetry is off starts no span and records no measurement, whoever listens.
    /// </summary>
    public static CommandTelemetry? Start(StemeConnection connection, IReadOnlyList<BoundStatement> statements)
    {
        bool enabled = connection.TelemetryEnabled;
        bool traced = enabled && Telemetry.Source.HasListeners();
        bool measured = enabled && Telemetry.OperationDuration.Enabled;
        return traced || measured || Logs(connection) ? new CommandTelemetry(connection, statements, traced, measured) : null;
    }

    // The command events are a warning and an error: a logger that wants neither costs nothing more.
    private static bool Logs(StemeConnection connection) => connection.CommandLogger.IsEnabled(LogLevel.Warning) || connection.CommandLogger.IsEnabled(LogLevel.Error);

    /// <summary>
    /// Reports a command that failed before its reader existed (parsing, binding, planning): a span with
    /// the error, a duration measurement with <c>error.type</c>, and the CommandFailed event.
    /// </summary>
    public static void FailedBeforeReader(StemeConnection connection, string commandText, long started, Exception error)
    {
        string errorType = ErrorType(error);
        string database = connection.Database;
        bool enabled = connection.TelemetryEnabled;
        if (enabled && Telemetry.OperationDuration.Enabled)
        {
            Telemetry.OperationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new TagList
            {
                { "db.system.name", "stemeql" }, { "db.namespace", database }, { "error.type", errorType },
            });
        }
        if (enabled && Telemetry.Source.HasListeners())
        {
            var previous = Activity.Current;
            // No statement was recognised, so the span is named after the database system (as the conventions say).
            using var activity = Telemetry.Source.StartActivity("stemeql", ActivityKind.Client, default(ActivityContext), startTime: DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(started));
            Activity.Current = previous;
            if (activity is not null)
            {
                if (activity.IsAllDataRequested)
                {
                    activity.SetTag("db.system.name", "stemeql");
                    activity.SetTag("db.namespace", database);
                    activity.SetTag("db.query.text", commandText);
                    TagError(activity, error, errorType);
                }
                activity.SetStatus(ActivityStatusCode.Error, error.Message);
            }
        }
        StemeLog.CommandFailed(connection.CommandLogger, error, "Command", errorType, commandText);
    }

    /// <summary>Counts a row handed to the caller.</summary>
    public void RowRead() => _rows++;

    /// <summary>Records the first failure; always false, so it can sit in an exception filter without catching.</summary>
    public bool Failed(Exception error)
    {
        _error ??= error;
        return false;
    }

    /// <summary>Ends the span and records the duration, once.</summary>
    public void Stop()
    {
        if (_stopped) return;
        _stopped = true;
        string? errorType = _error is null ? null : ErrorType(_error);
        Log(errorType);
        if (_measured && Telemetry.OperationDuration.Enabled)
        {
            var tags = new TagList
            {
                { "db.system.name", "stemeql" },
                { "db.namespace", _database },
                { "db.operation.name", _operation },
            };
            if (_plan is not null) tags.Add("db.stemeql.plan", _plan);
            if (errorType is not null) tags.Add("error.type", errorType);
            Telemetry.OperationDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, tags);
        }
        if (_activity is null) return;
        if (_activity.IsAllDataRequested)
        {
            _activity.SetTag("db.response.returned_rows", _rows);
            if (_error is not null) TagError(_activity, _error, errorType!);
        }
        if (_error is not null) _activity.SetStatus(ActivityStatusCode.Error, _error.Message);
        _activity.Stop();
    }

    private void Log(string? errorType)
    {
        var logger = _connection.CommandLogger;
        if (_error is not null)
        {
            if (logger.IsEnabled(LogLevel.Error)) StemeLog.CommandFailed(logger, _error, _operation, errorType!, Text());
            // A storage failure may be the store stopping (fail-stop): logged once per store.
            if (_error is StemeException { ErrorCode: StemeErrorCode.StorageFailure or StemeErrorCode.DiskFull or StemeErrorCode.ReadOnlyFileSystem or StemeErrorCode.PermissionDenied }
                && _connection.State == System.Data.ConnectionState.Open)
            {
                OpenStores.CheckFailure(_connection.Session.Store, _connection.ConnectionLogger);
            }
            return;
        }
        int threshold = _connection.SlowQueryThreshold;
        if (threshold <= 0 || !logger.IsEnabled(LogLevel.Warning)) return;
        long elapsed = (long)Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
        if (elapsed >= threshold) StemeLog.SlowQuery(logger, _operation, elapsed, threshold, Text());
    }

    private string Text() => SyntaxPrinter.PrintScript(_statements.Select(s => s.Statement.Syntax));

    private static string ErrorType(Exception error) => error is StemeException s ? s.ErrorCode.ToString() : error.GetType().FullName!;

    private static void TagError(Activity activity, Exception error, string errorType)
    {
        activity.SetTag("error.type", errorType);
        if (error is StemeException s) activity.SetTag("db.response.status_code", ((int)s.ErrorCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        activity.AddException(error);
    }

    private static string OperationName(IReadOnlyList<BoundStatement> statements)
    {
        var kinds = statements.Select(s => KindOf(s.Statement.Syntax)).Distinct().ToList();
        if (statements.Count == 1) return kinds[0];
        return kinds.Count == 1 ? "BATCH " + kinds[0] : "BATCH";
    }

    private static string SpanName(IReadOnlyList<BoundStatement> statements)
    {
        string operation = OperationName(statements);
        return statements.Count == 1 && statements[0].Statement.Syntax is SelectStatement { Relation: { } relation }
            ? operation + " " + relation
            : operation;
    }

    private static string KindOf(Statement statement) => statement switch
    {
        SelectStatement => "SELECT",
        AssertStatement => "ASSERT",
        VoteStatement => "VOTE",
        ExplainStatement => "EXPLAIN",
        _ => statement.GetType().Name,
    };

    private static string? LensOf(PreparedStatement? statement) => statement switch
    {
        PreparedQuery q => q.Select.Lens?.Name,
        PreparedExplain e => e.Explain.Query.Lens?.Name,
        _ => null,
    };

    private static string PlanName(AccessPath access) => access switch
    {
        AccessPath.MaterializedViewLookup => "materialized_view",
        AccessPath.LensScan => "lens_scan",
        AccessPath.LedgerScan => "ledger_scan",
        AccessPath.StatusRead => "status_read",
        AccessPath.SingleRow => "single_row",
        AccessPath.CountPushdown => "count_pushdown",
        AccessPath.GroupedCountPushdown => "grouped_count_pushdown",
        AccessPath.AgentSummary => "agent_summary",
        _ => access.ToString(),
    };
}
