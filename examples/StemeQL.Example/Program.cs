// StemeQL from C#: the same small knowledge graph written with ADO.NET, read with Dapper and queried
// with LINQ. Run it with a data folder (created on first use), or none for a throw-away one:
//   dotnet run --project examples/StemeQL.Example -- ./demo-db
using System.Diagnostics;
using Dapper;
using StemeQL;
using StemeQL.Linq;

string folder = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "stemeql-example-" + Guid.NewGuid().ToString("N"));

// Spans of every command, as an OpenTelemetry exporter would receive them (see docs/observability.md).
using var tracing = new ActivityListener
{
    ShouldListenTo = source => source.Name == "StemeQL",
    Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
    ActivityStopped = span => Console.WriteLine($"  span: {span.DisplayName} ({span.GetTagItem("db.stemeql.plan") ?? "write"})"),
};
ActivitySource.AddActivityListener(tracing);

// 1. ADO.NET: two agents disagree about a capital; a third votes.
string hash;
using (var alice = new StemeConnection($"Data Source={folder};Agent=alice"))
{
    alice.Open();
    using var assert = new StemeCommand("ASSERT (@s, 'capital_of', @o) WITH CONFIDENCE @c", alice);
    assert.Parameters.AddWithValue("s", "australia");
    assert.Parameters.AddWithValue("o", "canberra");
    assert.Parameters.AddWithValue("c", 0.9);
    hash = (string)assert.ExecuteScalar()!;
    Console.WriteLine($"ADO.NET: alice asserted canberra ({hash[..12]}…)");
}
using (var bob = new StemeConnection($"Data Source={folder};Agent=bob"))
{
    bob.Open();
    bob.Assert("australia", "capital_of", "sydney", confidence: 0.4);
    Console.WriteLine("ADO.NET: bob asserted sydney");
}
using var carol = new StemeConnection($"Data Source={folder};Agent=carol");
carol.Open();
carol.Vote(hash, 1.0);
Console.WriteLine("ADO.NET: carol voted for canberra");

// 2. Dapper: the consensus answer, mapped onto a record.
var answer = carol.QuerySingle<Answer>(
    "SELECT object AS Value, support AS Support FROM assertions USING LENS consensus WHERE subject = @subject AND predicate = 'capital_of'",
    new { subject = "australia" });
Console.WriteLine($"Dapper: consensus says {answer.Value} (support {answer.Support:0.##})");

// 3. LINQ: the same question as a C# expression, translated to one StemeQL query.
string country = "australia";
var query = carol.Assertions().UsingLens(Lens.Consensus)
    .Where(a => a.Subject == country && a.Predicate == "capital_of")
    .Select(a => new { a.Object, a.Confidence });
Console.WriteLine($"LINQ: {query.ToQueryString()}");
var capital = await query.FirstAsync();
Console.WriteLine($"LINQ: consensus says {capital.Object}");
int claims = await carol.Assertions().CountAsync(a => a.Subject == country);
Console.WriteLine($"LINQ: {claims} claims about {country} in the ledger");

carol.Close();
if (args.Length == 0) Directory.Delete(folder, recursive: true);

/// <summary>One row of the Dapper query.</summary>
internal sealed record Answer(string Value, double Support);
