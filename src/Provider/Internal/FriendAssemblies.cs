using System.Runtime.CompilerServices;

// `steme import` writes mixed assertions and votes in file order through the loader's internal
// BulkWriter (the public loader takes one kind per call). Kept here rather than in StemeQL.csproj,
// beside the test project's entry, only to leave the project file untouched while others edit it.
[assembly: InternalsVisibleTo("steme")]

// A compiled LINQ query reuses its command between executions and must follow the connection's current
// transaction, which ADO.NET does not expose publicly (StemeConnection.Transaction is internal).
[assembly: InternalsVisibleTo("StemeQL.Linq")]
