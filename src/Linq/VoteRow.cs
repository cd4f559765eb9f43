namespace StemeQL.Linq;

/// <summary>One row of the <c>votes</c> relation: every vote ever cast.</summary>
/// <param name="Assertion">The hash of the assertion voted on.</param>
/// <param name="Agent">The voter.</param>
/// <param name="Weight">The voter's confidence, in [0, 1].</param>
/// <param name="VotedAt">When the vote was written (UTC).</param>
/// <param name="Lsn">The vote's log sequence number.</param>
public sealed record VoteRow(string Assertion, string Agent, double Weight, DateTime VotedAt, long Lsn);
