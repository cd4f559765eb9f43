namespace StemeQL.Linq;

/// <summary>One row of the <c>agents</c> relation: an agent that wrote anything, and how much.</summary>
/// <param name="Agent">The agent's name.</param>
/// <param name="Assertions">How many assertions it wrote.</param>
/// <param name="Votes">How many votes it cast (replaced ones too).</param>
/// <param name="FirstLsn">The LSN of its first write.</param>
/// <param name="LastLsn">The LSN of its latest write.</param>
public sealed record AgentRow(string Agent, long Assertions, long Votes, long FirstLsn, long LastLsn);
