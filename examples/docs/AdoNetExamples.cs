using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using System.Transactions;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using Dapper;
using StemeQL;

namespace DocExamples;

/// <summary>The C# blocks of docs/ado-net.md, each between doc markers, with what they need around them.</summary>
public static class AdoNetExamples
{
    public static void FirstProgram()
    {
        // <doc>
        using var connection = new StemeConnection("Data Source=./stemedb;Agent=alice");
        connection.Open();                                    // creates ./stemedb on first use

        using var assert = connection.CreateCommand();
        assert.CommandText = "ASSERT (@s, @p, @o)";
        assert.Parameters.AddWithValue("s", "paris");
        assert.Parameters.AddWithValue("p", "capital_of");
        assert.Parameters.AddWithValue("o", "france");
        string hash = (string)assert.ExecuteScalar()!;        // 64 hex characters

        using var query = new StemeCommand(
            "SELECT object, confidence, candidates FROM assertions USING LENS consensus " +
            "WHERE subject = @s AND predicate = 'capital_of'", connection);
        query.Parameters.AddWithValue("@s", "paris");
        using var reader = query.ExecuteReader();
        while (reader.Read())
            Console.WriteLine($"{reader.GetString(0)} {reader.GetDouble(1):0.000} {reader.GetInt64(2)}");
        // </doc>
    }

    public static async Task Connection()
    {
        // <doc>
        var connection = new StemeConnection("Data Source=./stemedb;Agent=alice;Command Timeout=60");
        connection.Open();            // or await connection.OpenAsync();
        // </doc>
        await connection.DisposeAsync();
    }

    public static async Task WaitForWrite()
    {
        using var connectionA = new StemeConnection("Data Source=./stemedb;Agent=alice");
        using var connectionB = new StemeConnection("Data Source=./stemedb;Agent=bob");
        connectionA.Open();
        connectionB.Open();
        using var cmd = new StemeCommand("ASSERT ('paris', 'capital_of', 'france')", connectionA);
        const string sql = "SELECT subject, predicate, to_text(object) AS object, confidence FROM assertions USING LENS consensus";
        // <doc>
        // service A
        cmd.ExecuteNonQuery();                       // ASSERT ...
        long token = connectionA.LastWriteLsn;       // hand it to service B with the response
        // service B: another connection to the same folder
        await connectionB.WaitForLsnAsync(token);
        var rows = connectionB.Query<Fact>(sql);     // sees A's write
        // </doc>
        if (!rows.Any(r => r.Subject == "paris")) throw new InvalidOperationException("B did not see A's write.");
    }

    public static void RegisterFactory()
    {
        // <doc>
        DbProviderFactories.RegisterFactory("StemeQL", StemeFactory.Instance);
        // </doc>
    }

    public static void Parameters()
    {
        using var connection = new StemeConnection("Data Source=./stemedb;Agent=alice");
        connection.Open();
        string hash = connection.ExecuteScalar<string>("ASSERT ('pluto', 'is_a', 'planet')")!;
        using var cmd = connection.CreateCommand();
        // <doc>
        cmd.CommandText = "VOTE @hash WEIGHT @w";
        cmd.Parameters.AddWithValue("@hash", hash);           // "@hash" and "hash" both work
        cmd.Parameters.AddWithValue("w", 0.25);
        cmd.Parameters.Add(new StemeParameter("photo", new byte[] { 1, 2, 3 }));
        // </doc>
        cmd.ExecuteNonQuery();
    }

    public static void DataReader()
    {
        using var connection = new StemeConnection("Data Source=./stemedb;Agent=alice");
        connection.Open();
        using var cmd = new StemeCommand("ASSERT ('a', 'p', 1); SELECT subject FROM assertions", connection);
        // <doc>
        using var reader = cmd.ExecuteReader();
        do
        {
            while (reader.Read())
            {
                // ...
            }
        } while (reader.NextResult());                        // one result set per statement
        // </doc>
    }

    public static void Transaction()
    {
        using var connection = new StemeConnection("Data Source=./stemedb;Agent=alice");
        connection.Open();
        // <doc>
        using var tx = connection.BeginTransaction();
        using var cmd = connection.CreateCommand();           // joins tx automatically
        cmd.CommandText = "ASSERT ('a', 'p', 'o'); ASSERT ('b', 'p', 'o')";
        cmd.ExecuteNonQuery();
        tx.Commit();                                           // or tx.Rollback(); disposing without Commit rolls back
        // </doc>
    }

    public static void Batch()
    {
        using var connection = new StemeConnection("Data Source=./stemedb;Agent=alice");
        connection.Open();
        var ranks = new[] { ("c1", 1), ("c2", 2) };
        // <doc>
        using var batch = connection.CreateBatch();           // joins the connection's transaction, if any
        foreach (var (subject, rank) in ranks)
        {
            var command = new StemeBatchCommand("ASSERT (@s, 'rank', @r)");
            command.Parameters.AddWithValue("s", subject);
            command.Parameters.AddWithValue("r", rank);
            batch.BatchCommands.Add(command);
        }
        batch.BatchCommands.Add(new StemeBatchCommand("SELECT subject FROM assertions WHERE predicate = 'rank'"));
        using var reader = batch.ExecuteReader();             // one result set per statement, in order
        // </doc>
    }

    public static async Task BulkLoad()
    {
        using var connection = new StemeConnection("Data Source=./stemedb;Agent=alice");
        connection.Open();
        var facts = new[] { (Subject: "paris", Country: "france"), (Subject: "rome", Country: "italy") };
        string known = connection.ExecuteScalar<string>("ASSERT ('paris', 'capital_of', 'france')")!;
        var reviews = new[] { (Hash: known, Weight: 0.8) };
        using var stream = new MemoryStream();
        var cancellationToken = CancellationToken.None;
        // <doc>
        var loader = new StemeBulkLoader(connection) { BatchSize = 8_192 };  // connection must be open
        loader.Progress += (_, p) => Console.Error.Write($"\r{p.RowsWritten} rows");

        long written = loader.WriteAssertions(facts.Select(f =>
            new BulkAssertion(f.Subject, "capital_of", f.Country, Epoch: "modern", Confidence: 0.9)));
        loader.WriteVotes(reviews.Select(r => new BulkVote(r.Hash, r.Weight)));
        await loader.WriteVotesAsync(ReadVotesAsync(stream), cancellationToken);  // IAsyncEnumerable source
        // </doc>

        async IAsyncEnumerable<BulkVote> ReadVotesAsync(Stream _)
        {
            await Task.Yield();
            yield return new BulkVote(known, 0.5);
        }
    }

    public static void WriteForOthers()
    {
        var labels = new[] { (Image: "img2", Label: "cat", Worker: "worker7") };
        // <doc>
        using var service = new StemeConnection("Data Source=./stemedb;Agent=labeller;Allow Agent Override=True");
        service.Open();

        using var batch = service.CreateBatch();
        batch.BatchCommands.Add(new StemeBatchCommand("ASSERT ('img1', 'label', 'cat')") { Agent = "worker17" });
        batch.BatchCommands.Add(new StemeBatchCommand("ASSERT ('img1', 'label', 'dog')") { Agent = "worker42" });
        batch.ExecuteNonQuery();                              // two assertions, one per worker

        new StemeBulkLoader(service).WriteAssertions(labels.Select(l =>
            new BulkAssertion(l.Image, "label", l.Label, Agent: l.Worker)));
        // </doc>
    }

    public static void Errors()
    {
        using var db = new StemeConnection("Data Source=./stemedb;Agent=alice");
        db.Open();
        string hash = new string('0', 64);
        double weight = 0.5;
        // <doc>
        try
        {
            db.Execute("VOTE @h WEIGHT @w", new { h = hash, w = weight });
        }
        catch (StemeException e) when (e.ErrorCode == StemeErrorCode.UnknownAssertion)
        {
            // the hash names no assertion
        }
        catch (StemeException e) when (e.ErrorCode == StemeErrorCode.SyntaxError)
        {
            Console.Error.WriteLine($"{e.Line}:{e.Column} expected {string.Join(" or ", e.ExpectedTokens)}");
        }
        catch (StemeException e) when (e.IsTransient)
        {
            // Timeout, DatabaseLocked or ObjectStoreUnreachable: retrying later may succeed
        }
        // </doc>
    }

    public static void Tracing()
    {
        // <doc>
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "StemeQL",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span => Console.WriteLine($"{span.DisplayName} {span.GetTagItem("db.stemeql.plan")} {span.Duration.TotalMilliseconds} ms"),
        };
        ActivitySource.AddActivityListener(listener);
        // </doc>
        using var db = new StemeConnection("Data Source=./stemedb;Agent=alice");
        db.Open();
        db.Execute("ASSERT ('traced', 'p', 'o')");
    }

    public static async Task DataSource()
    {
        ILoggerFactory loggerFactory = NullLoggerFactory.Instance;
        // <doc>
        var builder = new StemeDataSourceBuilder("Data Source=./stemedb");
        builder.ConnectionStringBuilder.Agent = "alice";
        builder.UseLoggerFactory(loggerFactory);               // optional: connections log through it
        await using var dataSource = builder.Build();

        await using var connection = await dataSource.OpenConnectionAsync();   // or OpenConnection()
        await using var command = dataSource.CreateCommand("ASSERT ('a', 'p', 'o')");
        await command.ExecuteNonQueryAsync();                  // on a connection of its own, closed after
        // </doc>
    }

    public static void AmbientTransaction()
    {
        // <doc>
        using (var scope = new TransactionScope())
        {
            using var connection = new StemeConnection("Data Source=./stemedb;Agent=alice");
            connection.Open();                                 // enlists in the scope
            new StemeCommand("ASSERT ('a', 'p', 'o')", connection).ExecuteNonQuery();
            scope.Complete();                                  // without this line, nothing is written
        }                                                      // the writes are applied here
        // </doc>
    }

    public static void SchemaCollection()
    {
        using var connection = new StemeConnection("Data Source=./stemedb;Agent=alice");
        connection.Open();
        // <doc>
        DataTable columns = connection.GetSchema("Columns", ["votes"]);
        // </doc>
        if (columns.Rows.Count == 0) throw new InvalidOperationException("votes has columns");
    }

    public static void DataAdapter()
    {
        using var connection = new StemeConnection("Data Source=./stemedb;Agent=alice");
        connection.Open();
        // <doc>
        var table = new DataTable();
        new StemeDataAdapter("SELECT subject, object, confidence FROM assertions USING LENS consensus", connection).Fill(table);
        // </doc>
    }
}
