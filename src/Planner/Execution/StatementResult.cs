using StemeQL.Core.Model;
using StemeQL.Planner.Binding;

namespace StemeQL.Planner.Execution;

/// <summary>
/// The result of one statement: its columns, its rows (streamed; enumerate once) and, for writes,
/// the number of records affected (-1 for queries, as ADO.NET expects).
/// </summary>
public sealed record StatementResult(IReadOnlyList<ResultColumn> Columns, IEnumerable<StemeValue[]> Rows, int RecordsAffected);
