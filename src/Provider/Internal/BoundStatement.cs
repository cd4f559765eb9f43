using StemeQL.Planner.Binding;
using StemeQL.Planner.Execution;

namespace StemeQL.Internal;

/// <summary>
/// A prepared statement with the parameter values it runs with, and the index of the batch command
/// it came from (always 0 for a <see cref="StemeCommand"/>).
/// </summary>
internal readonly record struct BoundStatement(PreparedStatement Statement, ParameterValues Parameters, int Command);
