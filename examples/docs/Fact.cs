namespace DocExamples;

// The row type of docs/dapper.md and docs/ado-net.md (the README's Fact is its own program's).
// <doc>
public sealed record Fact(string Subject, string Predicate, string Object, double Confidence);
// </doc>
