namespace StemeQL.Tests.Conformance;

/// <summary>One record of a sqllogictest file (see shared/conformance/README.md).</summary>
public abstract record SltRecord(int Line);

/// <summary><c>agent NAME</c>: later records run as NAME.</summary>
public sealed record AgentRecord(int Line, string Agent) : SltRecord(Line);

/// <summary><c>statement ok</c> or <c>statement error [Code]</c>.</summary>
public sealed record StatementRecord(int Line, string Sql, bool ExpectError, string? ErrorCode) : SltRecord(Line);

/// <summary><c>query types sort</c> with its expected rows.</summary>
public sealed record QueryRecord(int Line, string Sql, string Types, bool RowSort, IReadOnlyList<string> Expected) : SltRecord(Line);

/// <summary><c>capture VAR</c>: keep the first column of the first row.</summary>
public sealed record CaptureRecord(int Line, string Variable, string Sql) : SltRecord(Line);
