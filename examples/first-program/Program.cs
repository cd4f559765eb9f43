using Dapper;
using StemeQL;

using var db = new StemeConnection("Data Source=./demo-db;Agent=alice");
db.Open();
string hash = db.ExecuteScalar<string>("ASSERT (@s, @p, @o)", new { s = "paris", p = "capital_of", o = "france" })!;
db.Execute("VOTE @h WEIGHT @w", new { h = hash, w = 0.9 });
var facts = db.Query<Fact>("SELECT subject, predicate, to_text(object) AS object, confidence FROM assertions USING LENS consensus WHERE subject = @s", new { s = "paris" });
foreach (var f in facts) Console.WriteLine($"{f.Subject} {f.Predicate} {f.Object} ({f.Confidence:P0})");

record Fact(string Subject, string Predicate, string Object, double Confidence);
