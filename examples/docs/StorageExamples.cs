using StemeQL;

namespace DocExamples;

/// <summary>The C# blocks of docs/storage.md.</summary>
public static class StorageExamples
{
    public static void ConnectionStringBuilder()
    {
        // <doc>
        var cs = new StemeConnectionStringBuilder { DataSource = "./stemedb", Agent = "alice" }.ConnectionString;
        // </doc>
        using var connection = new StemeConnection(cs);
        connection.Open();
    }

    public static async Task StoreProvider()
    {
        // <doc>
        await using var dataSource = new StemeDataSourceBuilder("Data Source=./stemedb").UseStorage("embedded").Build();
        // </doc>
        await using var connection = await dataSource.OpenConnectionAsync();
    }

    public static async Task VisibilityToken()
    {
        using var writer = new StemeConnection("Data Source=./stemedb;Agent=alice");
        using var reader = new StemeConnection("Data Source=./stemedb;Agent=bob");
        writer.Open();
        reader.Open();
        new StemeCommand("ASSERT ('paris', 'capital_of', 'france')", writer).ExecuteNonQuery();
        const string sql = "SELECT count(*) FROM assertions USING LENS consensus";
        // <doc>
        long token = writer.LastWriteLsn;                 // after writing; send it with the response
        using var command = new StemeCommand(sql, reader) { MinimumLsn = token };  // waits for that write
        reader.WaitForLsn(token);                         // or wait once, then read (Dapper, several queries)
        await reader.WaitForLsnAsync(token);              // without holding a thread
        // </doc>
        command.ExecuteScalar();
    }

    public static void Transaction()
    {
        using var connection = new StemeConnection("Data Source=./stemedb;Agent=alice");
        connection.Open();
        // <doc>
        using var tx = connection.BeginTransaction();
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;

        cmd.CommandText = "ASSERT ('pluto', 'is_a', 'dwarf_planet')";
        string hash = (string)cmd.ExecuteScalar()!;          // the hash is known now

        cmd.CommandText = "VOTE @h WEIGHT 0.9";              // voting on a hash from this transaction is allowed
        cmd.Parameters.AddWithValue("h", hash);
        cmd.ExecuteNonQuery();

        tx.Commit();                                          // both writes become visible together
        // </doc>
    }

    public static void StreamParameter()
    {
        File.WriteAllBytes("scan.tiff", new byte[200_000]);
        using var connection = new StemeConnection("Data Source=./stemedb;Agent=alice");
        connection.Open();
        // <doc>
        using var file = File.OpenRead("scan.tiff");
        using var command = new StemeCommand("ASSERT ('doc:42', 'scan', @scan)", connection);
        command.Parameters.AddWithValue("scan", file);   // read from its position to the end, never whole in memory
        command.ExecuteNonQuery();
        // </doc>
    }
}
