using System.Security.Cryptography;
using Xunit.Abstractions;
using StemeQL.Tests.Support;
using StemeQL.TestSupport;

namespace StemeQL.Tests.Provider;

/// <summary>
/// Tests that count the bytes the whole process allocates run alone: another test class running beside
/// them would be counted too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCountingCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Allocation-counting (runs alone)";
}

/// <summary>
/// A large object written from a Stream is read back through <c>GetStream</c> in chunks without the
/// reader's memory growing with it: what it allocates while reading stays far below the object's size.
/// </summary>
[Collection(AllocationCountingCollection.Name)]
public sealed class LargeObjectMemoryTests(ITestOutputHelper output) : IDisposable
{
    private const long Size = 96L << 20;
    private const long AllocationBudget = 8L << 20;
    private const int Seed = 96;
    private readonly TempFolderDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public void GetStream_reads_a_96_MB_object_from_the_data_folder_allocating_under_8_MB()
    {
        AssertReadsBackFlat(_database.ConnectionString("alice"));
    }

    [Fact]
    public void GetStream_reads_a_96_MB_object_from_S3_allocating_under_8_MB()
    {
        AssertReadsBackFlat(_database.ConnectionString("alice") +
            $";Object Bucket={TestServers.S3Bucket};Object Prefix=flat-{Guid.NewGuid():N}/;Object Service URL={TestServers.S3Url}" +
            ";Object Path Style=True;Object Access Key=S3RVER;Object Secret Key=S3RVER");
    }

    private void AssertReadsBackFlat(string connectionString)
    {
        using var connection = new StemeConnection(connectionString);
        connection.Open();
        using (var assert = new StemeCommand("ASSERT ('doc', 'body', @body)", connection))
        {
            assert.Parameters.AddWithValue("body", new PatternStream(Size, Seed));
            assert.ExecuteNonQuery();
        }
        using var command = new StemeCommand("SELECT object FROM assertions WHERE subject = 'doc'", connection);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];

        long before = GC.GetTotalAllocatedBytes(precise: true);
        long read = 0;
        using (var stream = reader.GetStream(0))
        {
            for (int n; (n = stream.Read(buffer)) > 0; read += n) hash.AppendData(buffer, 0, n);
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        output.WriteLine($"allocated {allocated:N0} bytes while reading {Size:N0}");
        Assert.Equal(Size, read);
        Assert.Equal(PatternStream.Hash(Size, Seed).ToString(), Convert.ToHexStringLower(hash.GetHashAndReset()));
        Assert.True(allocated < AllocationBudget,
            $"Reading a {Size >> 20} MB object allocated {allocated / 1e6:0.0} MB; the budget is {AllocationBudget >> 20} MB.");
    }
}
